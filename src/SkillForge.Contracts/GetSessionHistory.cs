namespace SkillForge.Contracts;

/// <summary>Reads a page of a session's messages. Answered with <see cref="SessionHistory"/> or <see cref="SessionNotFound"/>.</summary>
/// <param name="Limit">Messages per page: default 100, at most 1000.</param>
/// <param name="BeforeSeq">Page backwards: only messages with a smaller sequence number.</param>
public sealed record GetSessionHistory(
    string TenantId,
    string SessionId,
    int Limit = 100,
    long? BeforeSeq = null);

namespace SkillForge.Contracts;

/// <summary>
/// Everything held about a session except its messages (right of access and portability); the messages come through
/// <see cref="GetSessionHistory"/> pages. Answered with <see cref="SessionExport"/> or <see cref="SessionNotFound"/>.
/// </summary>
public sealed record ExportSession(
    string TenantId,
    string SessionId);

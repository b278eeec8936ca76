namespace SkillForge.Sessions.Retention;

/// <summary>What one cleanup run did (or, in a dry run, would do).</summary>
public sealed record CleanupReport(DateTimeOffset AsOf, bool DryRun, int MarkedAbandoned, int DeletedSessions, long DeletedMessages, TimeSpan Duration);

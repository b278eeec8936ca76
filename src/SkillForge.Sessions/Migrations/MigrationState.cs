namespace SkillForge.Sessions.Migrations;

/// <summary>An embedded migration and where it stands in a database.</summary>
/// <param name="State"><c>applied</c>, <c>pending</c>, or <c>changed</c> (applied, but its file differs since).</param>
public sealed record MigrationState(int Version, string Name, string State, DateTimeOffset? AppliedAt);

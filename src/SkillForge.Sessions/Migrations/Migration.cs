namespace SkillForge.Sessions.Migrations;

/// <summary>One embedded, numbered SQL migration.</summary>
public sealed record Migration(int Version, string Name, string Sql, string Checksum);

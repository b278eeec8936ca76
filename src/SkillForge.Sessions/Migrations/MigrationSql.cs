namespace SkillForge.Sessions.Migrations;

internal static class MigrationSql
{
    public const string CreateHistory = """
        CREATE TABLE IF NOT EXISTS schema_history (
            version    integer     PRIMARY KEY,
            name       text        NOT NULL,
            checksum   text        NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        )
        """;

    public const string SelectApplied = "SELECT version, checksum FROM schema_history ORDER BY version";

    public const string SelectHistory = "SELECT version, checksum, applied_at FROM schema_history ORDER BY version";

    public const string HistoryExists = "SELECT to_regclass('schema_history') IS NOT NULL";

    public const string InsertApplied = "INSERT INTO schema_history (version, name, checksum) VALUES (@Version, @Name, @Checksum)";
}

namespace SkillForge.Harness;

/// <summary>The PostgreSQL server's connection strings for each role (the database in them is replaced per scratch database).</summary>
/// <param name="Superuser">Sees every tenant's rows and may CHECKPOINT: for seeding and inspecting, never for the code under test.</param>
public sealed record DatabaseServer(string App, string Admin, string Maintenance, string Superuser)
{
    /// <summary>The settings the worker reads (<c>ConnectionStrings__*</c>), else ops/dev.sh's development values.</summary>
    public static DatabaseServer FromEnvironment() => new(
        ToolEnvironment.Get("ConnectionStrings__Postgres", "Host=127.0.0.1;Port=5432;Username=skillforge_app;Password=skillforge_app;Database=skillforge"),
        ToolEnvironment.Get("ConnectionStrings__PostgresAdmin", "Host=127.0.0.1;Port=5432;Username=skillforge;Password=skillforge;Database=skillforge"),
        ToolEnvironment.Get("ConnectionStrings__PostgresMaintenance",
            "Host=127.0.0.1;Port=5432;Username=skillforge_maintenance;Password=skillforge_maintenance;Database=skillforge"),
        ToolEnvironment.Get("ConnectionStrings__PostgresSuperuser", "Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres;Database=postgres"));

}

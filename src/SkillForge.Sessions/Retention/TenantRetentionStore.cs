using Dapper;
using SkillForge.Sessions.Hosting;
using SkillForge.Sessions.Storage;

namespace SkillForge.Sessions.Retention;

/// <summary>Sets, shows and clears a tenant's own retention periods (as the maintenance role), each change audited in its statement.</summary>
public sealed class TenantRetentionStore(MaintenanceDatabase database)
{
    private const string Columns = """
        tenant_id AS TenantId, abandon_after_idle AS AbandonAfterIdle, delete_completed_after AS DeleteCompletedAfter,
        delete_abandoned_after AS DeleteAbandonedAfter, delete_audit_after AS DeleteAuditAfter, changed_by AS ChangedBy, changed_at AS ChangedAt
        """;

    // A period the request leaves out keeps its value. The audit keeps the periods after the change: who changed what, when.
    private const string Set = $"""
        WITH changed AS (
            INSERT INTO tenant_retention AS r (tenant_id, abandon_after_idle, delete_completed_after, delete_abandoned_after,
                                               delete_audit_after, changed_by, changed_at)
            VALUES (@TenantId, @AbandonAfterIdle, @DeleteCompletedAfter, @DeleteAbandonedAfter, @DeleteAuditAfter, @Actor, @At)
            ON CONFLICT (tenant_id) DO UPDATE SET
                abandon_after_idle = COALESCE(EXCLUDED.abandon_after_idle, r.abandon_after_idle),
                delete_completed_after = COALESCE(EXCLUDED.delete_completed_after, r.delete_completed_after),
                delete_abandoned_after = COALESCE(EXCLUDED.delete_abandoned_after, r.delete_abandoned_after),
                delete_audit_after = COALESCE(EXCLUDED.delete_audit_after, r.delete_audit_after),
                changed_by = EXCLUDED.changed_by, changed_at = EXCLUDED.changed_at
            RETURNING *
        ), audited AS (
            INSERT INTO session_audit (tenant_id, session_ids, event, to_value, occurred_at, actor)
            SELECT tenant_id, ARRAY[]::text[], 'retention_set',
                   concat_ws(' ', 'idle=' || abandon_after_idle, 'completed=' || delete_completed_after,
                             'abandoned=' || delete_abandoned_after, 'audit=' || delete_audit_after),
                   @At, @Actor
              FROM changed
        )
        SELECT {Columns} FROM changed
        """;

    private const string Clear = """
        WITH changed AS (DELETE FROM tenant_retention WHERE tenant_id = @TenantId RETURNING tenant_id),
        audited AS (
            INSERT INTO session_audit (tenant_id, session_ids, event, occurred_at, actor)
            SELECT tenant_id, ARRAY[]::text[], 'retention_cleared', @At, @Actor FROM changed
        )
        SELECT count(*)::int FROM changed
        """;

    private const string Get = $"SELECT {Columns} FROM tenant_retention WHERE tenant_id = @TenantId";

    /// <summary>The tenant's own periods, or null when it lives by the product's.</summary>
    public async Task<TenantRetention?> GetAsync(string tenantId, CancellationToken cancellationToken)
    {
        SessionInputRules.ValidateId(tenantId, "TenantId");
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<RetentionRow>(new CommandDefinition(Get, new { TenantId = tenantId }, cancellationToken: cancellationToken));
        return row?.ToRetention();
    }

    /// <summary>Sets the periods named (a null one keeps its value) and returns the tenant's periods after the change.</summary>
    /// <exception cref="InvalidSessionInputException">A bad tenant id or actor, no period, or one outside the bounds.</exception>
    public async Task<TenantRetention> SetAsync(string tenantId, TimeSpan? abandonAfterIdle, TimeSpan? deleteCompletedAfter,
        TimeSpan? deleteAbandonedAfter, TimeSpan? deleteAuditAfter, string changedBy, DateTimeOffset at, CancellationToken cancellationToken)
    {
        SessionInputRules.ValidateId(tenantId, "TenantId");
        TenantRetention.ValidatePeriods(abandonAfterIdle, deleteCompletedAfter, deleteAbandonedAfter, deleteAuditAfter);
        SessionInputRules.ValidateOperatorText(changedBy, LegalHold.MaxActorLength, "ChangedBy");
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<RetentionRow>(new CommandDefinition(Set, new
        {
            TenantId = tenantId, AbandonAfterIdle = abandonAfterIdle, DeleteCompletedAfter = deleteCompletedAfter,
            DeleteAbandonedAfter = deleteAbandonedAfter, DeleteAuditAfter = deleteAuditAfter, Actor = changedBy, At = at.UtcDateTime,
        }, cancellationToken: cancellationToken));
        return row.ToRetention();
    }

    /// <summary>Returns the tenant to the product's periods; false when it had none of its own.</summary>
    public async Task<bool> ClearAsync(string tenantId, string changedBy, DateTimeOffset at, CancellationToken cancellationToken)
    {
        SessionInputRules.ValidateId(tenantId, "TenantId");
        SessionInputRules.ValidateOperatorText(changedBy, LegalHold.MaxActorLength, "ChangedBy");
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<int>(new CommandDefinition(Clear,
            new { TenantId = tenantId, Actor = changedBy, At = at.UtcDateTime }, cancellationToken: cancellationToken)) > 0;
    }

    private sealed class RetentionRow
    {
        public string TenantId { get; init; } = "";
        public TimeSpan? AbandonAfterIdle { get; init; }
        public TimeSpan? DeleteCompletedAfter { get; init; }
        public TimeSpan? DeleteAbandonedAfter { get; init; }
        public TimeSpan? DeleteAuditAfter { get; init; }
        public string ChangedBy { get; init; } = "";
        public DateTime ChangedAt { get; init; }

        public TenantRetention ToRetention() => new(TenantId, AbandonAfterIdle, DeleteCompletedAfter, DeleteAbandonedAfter, DeleteAuditAfter,
            ChangedBy, SessionRow.AsUtc(ChangedAt));
    }
}

using Dapper;
using SkillForge.Sessions.Hosting;
using SkillForge.Sessions.Storage;

namespace SkillForge.Sessions.Retention;

/// <summary>
/// Places, releases and lists legal holds (as the maintenance role: an operator's business, across tenants). Each
/// change writes its audit line in the same statement.
/// </summary>
public sealed class LegalHoldStore(MaintenanceDatabase database)
{
    public const int MaxListed = 1_000;

    private const string Columns = """
        id AS Id, tenant_id AS TenantId, session_id AS SessionId, user_id AS UserId, reason AS Reason, placed_by AS PlacedBy,
        placed_at AS PlacedAt, released_by AS ReleasedBy, released_at AS ReleasedAt
        """;

    // A session's hold is audited under the session; a user's or a tenant's under the tenant (an empty id list).
    private const string Audit = """
        INSERT INTO session_audit (tenant_id, session_id, session_ids, event, from_value, to_value, count, occurred_at, actor)
        SELECT tenant_id, session_id, CASE WHEN session_id IS NULL THEN ARRAY[]::text[] END, @Event,
               CASE WHEN session_id IS NOT NULL THEN 'session' WHEN user_id IS NOT NULL THEN 'user' ELSE 'tenant' END,
               user_id, id, @At, @Actor
          FROM changed
        """;

    private const string Place = $"""
        WITH changed AS (
            INSERT INTO legal_holds (tenant_id, session_id, user_id, reason, placed_by, placed_at)
            VALUES (@TenantId, @SessionId, @UserId, @Reason, @Actor, @At)
            ON CONFLICT (tenant_id, COALESCE(session_id, ''), COALESCE(user_id, '')) WHERE released_at IS NULL DO NOTHING
            RETURNING *
        ), audited AS ({Audit})
        SELECT {Columns}, true AS PlacedNow FROM changed
        UNION ALL
        SELECT {Columns}, false FROM legal_holds
         WHERE NOT EXISTS (SELECT 1 FROM changed) AND released_at IS NULL AND tenant_id = @TenantId
           AND session_id IS NOT DISTINCT FROM @SessionId AND user_id IS NOT DISTINCT FROM @UserId
        """;

    private const string Release = $"""
        WITH changed AS (
            UPDATE legal_holds SET released_by = @Actor, released_at = @At
             WHERE released_at IS NULL AND tenant_id = @TenantId
               AND session_id IS NOT DISTINCT FROM @SessionId AND user_id IS NOT DISTINCT FROM @UserId
            RETURNING *
        ), audited AS ({Audit})
        SELECT {Columns} FROM changed
        """;

    private const string List = $"""
        SELECT {Columns} FROM legal_holds
         WHERE (@TenantId::text IS NULL OR tenant_id = @TenantId::text) AND (@IncludeReleased OR released_at IS NULL)
         ORDER BY tenant_id, placed_at, id
         LIMIT @Limit
        """;

    /// <summary>Places a hold on the scope, or finds the one already in force there (then <c>PlacedNow</c> is false).</summary>
    /// <exception cref="InvalidSessionInputException">Bad ids, both a session and a user, or a bad reason or actor.</exception>
    public async Task<(LegalHold Hold, bool PlacedNow)> PlaceAsync(string tenantId, string? sessionId, string? userId, string reason, string placedBy,
        DateTimeOffset at, CancellationToken cancellationToken)
    {
        ValidateScope(tenantId, sessionId, userId);
        SessionInputRules.ValidateOperatorText(reason, LegalHold.MaxReasonLength, "Reason");
        SessionInputRules.ValidateOperatorText(placedBy, LegalHold.MaxActorLength, "PlacedBy");
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<HoldRow>(new CommandDefinition(Place, new
        {
            TenantId = tenantId, SessionId = sessionId, UserId = userId, Reason = reason, Actor = placedBy, At = at.UtcDateTime,
            Event = "hold_placed",
        }, cancellationToken: cancellationToken));
        return (row.ToHold(), row.PlacedNow);
    }

    /// <summary>Releases the hold in force on the scope; null when there is none.</summary>
    public async Task<LegalHold?> ReleaseAsync(string tenantId, string? sessionId, string? userId, string releasedBy, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        ValidateScope(tenantId, sessionId, userId);
        SessionInputRules.ValidateOperatorText(releasedBy, LegalHold.MaxActorLength, "ReleasedBy");
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<HoldRow>(new CommandDefinition(Release, new
        {
            TenantId = tenantId, SessionId = sessionId, UserId = userId, Actor = releasedBy, At = at.UtcDateTime, Event = "hold_released",
        }, cancellationToken: cancellationToken));
        return row?.ToHold();
    }

    /// <summary>The holds in force (and the released ones too, when asked), of one tenant or all, oldest first per tenant.</summary>
    public async Task<IReadOnlyList<LegalHold>> ListAsync(string? tenantId, bool includeReleased, CancellationToken cancellationToken)
    {
        if (tenantId is not null)
        {
            SessionInputRules.ValidateId(tenantId, "TenantId");
        }
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<HoldRow>(new CommandDefinition(List,
            new { TenantId = tenantId, IncludeReleased = includeReleased, Limit = MaxListed }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToHold()).ToList();
    }

    private static void ValidateScope(string tenantId, string? sessionId, string? userId)
    {
        SessionInputRules.ValidateId(tenantId, "TenantId");
        if (sessionId is not null && userId is not null)
        {
            throw new InvalidSessionInputException(InvalidSessionInputException.InvalidRequest,
                "A hold covers a session or a user's sessions, not both: name one (or neither, for the whole tenant).");
        }
        if (sessionId is not null)
        {
            SessionInputRules.ValidateId(sessionId, "SessionId");
        }
        SessionInputRules.ValidateUserId(userId);
    }

    private sealed class HoldRow
    {
        public long Id { get; init; }
        public string TenantId { get; init; } = "";
        public string? SessionId { get; init; }
        public string? UserId { get; init; }
        public string Reason { get; init; } = "";
        public string PlacedBy { get; init; } = "";
        public DateTime PlacedAt { get; init; }
        public string? ReleasedBy { get; init; }
        public DateTime? ReleasedAt { get; init; }
        public bool PlacedNow { get; init; }

        public LegalHold ToHold() => new(Id, TenantId, SessionId, UserId, Reason, PlacedBy, SessionRow.AsUtc(PlacedAt), ReleasedBy,
            ReleasedAt is { } released ? SessionRow.AsUtc(released) : null);
    }
}

using Dapper;
using Npgsql;
using SkillForge.Sessions.Storage;

namespace SkillForge.Sessions.Tests.Retention;

/// <summary>Writes sessions straight into a scratch database with the timestamps a retention test needs.</summary>
internal static class RetentionSeed
{
    public static async Task<SessionKey> SessionAsync(NpgsqlDataSource admin, string status, DateTimeOffset lastActivity,
        DateTimeOffset? completedAt = null, DateTimeOffset? abandonedAt = null, int messages = 2, string state = "gathering_details", string? id = null, string tenant = "tenant-a",
        string? user = null)
    {
        var key = new SessionKey(tenant, id ?? $"s-{Guid.NewGuid():N}");
        await using var connection = await admin.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            INSERT INTO sessions (tenant_id, session_id, state, status, context, version, message_count, created_at, updated_at,
                                  last_activity_at, completed_at, abandoned_at, user_id)
            VALUES (@TenantId, @SessionId, @state, @status, '{}', greatest(@messages / 2, 1), @messages, @lastActivity, @lastActivity,
                    @lastActivity, @completedAt, @abandonedAt, @user);
            INSERT INTO turns (tenant_id, session_id, turn_no, turn_id, user_content, assistant_content, created_at)
            SELECT @TenantId, @SessionId, g, gen_random_uuid(), 'text ' || (2 * g - 1), 'text ' || (2 * g), @lastActivity
              FROM generate_series(1, @messages / 2) g;
            """, new
        {
            key.TenantId,
            key.SessionId,
            state,
            status,
            messages,
            lastActivity = lastActivity.UtcDateTime,
            completedAt = completedAt?.UtcDateTime,
            abandonedAt = abandonedAt?.UtcDateTime,
            user,
        });
        return key;
    }

    /// <summary>An audit line of one session's state change, as a chat turn writes it; returns its id.</summary>
    public static async Task<long> AuditLineAsync(NpgsqlDataSource admin, DateTimeOffset occurredAt, string tenant = "tenant-a", string? session = null)
    {
        await using var connection = await admin.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("""
            INSERT INTO session_audit (tenant_id, session_id, event, from_value, to_value, version, occurred_at)
            VALUES (@tenant, @session, 'state_changed', 'idle', 'intent_detection', 2, @occurredAt) RETURNING id
            """, new { tenant, session = session ?? $"s-{Guid.NewGuid():N}", occurredAt = occurredAt.UtcDateTime });
    }

    public static async Task<string?> StatusAsync(NpgsqlDataSource admin, SessionKey key)
    {
        await using var connection = await admin.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string?>("SELECT status FROM sessions WHERE tenant_id = @TenantId AND session_id = @SessionId", key);
    }

    public static async Task<long> MessageCountAsync(NpgsqlDataSource admin, SessionKey key)
    {
        await using var connection = await admin.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM messages WHERE tenant_id = @TenantId AND session_id = @SessionId", key);
    }
}

internal static class AuditLines
{
    public static async Task<bool> ExistsAsync(NpgsqlDataSource admin, long id)
    {
        await using var connection = await admin.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM session_audit WHERE id = @id)", new { id });
    }
}

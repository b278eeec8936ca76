namespace SkillForge.Sessions.Tests.Migrations;

// The store's statements as workers of before migration 0005 run them (git: src/SkillForge.Sessions/Storage/
// SessionSql.cs at 091a83b), verbatim, those that touch messages: RollingUpgradeTests runs them against today's schema, as such a worker
// would during a rolling upgrade. Never edit these to match the current store; they are the old code.
internal static class Before0005Sql
{
    private const string SetTenant = "SELECT set_config('skillforge.tenant_id', @TenantId, true);\n";

    private const string SessionColumns = """
        tenant_id AS TenantId, session_id AS SessionId, state AS State, status AS Status, skill_name AS SkillName,
        context::text AS ContextJson, jsonb_typeof(context) AS ContextType, version AS Version,
        message_count AS MessageCount, created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    private const string MessageColumns = "seq AS Seq, role AS Role, content AS Content, turn_id AS TurnId, created_at AS CreatedAt";

    /// <summary>The row, then the latest @Window messages newest first (the caller reverses them).</summary>
    public const string Load = SetTenant + $"""
        SELECT {SessionColumns} FROM sessions WHERE tenant_id = @TenantId AND session_id = @SessionId;
        SELECT {MessageColumns} FROM messages
         WHERE tenant_id = @TenantId AND session_id = @SessionId
         ORDER BY seq DESC LIMIT @Window;
        """;

    // The append is one statement: the session row moves from @ExpectedVersion to the next version only if
    // it is still active at that version, and the two messages and audit rows hang off that row change. Zero
    // rows back means a conflict; a unique violation on ux_messages_turn means the turn was applied before.
    // Either way the implicit transaction rolls back whole: nothing is half-written.
    private const string AppendTail = """
        , appended AS (
            INSERT INTO messages (tenant_id, session_id, seq, role, content, turn_id, created_at)
            SELECT @TenantId, @SessionId, s.message_count - 1, 'user', @UserText, @TurnId, @At FROM s
            UNION ALL
            SELECT @TenantId, @SessionId, s.message_count, 'assistant', @Reply, @TurnId, @At FROM s
        ), audited AS (
            INSERT INTO session_audit (tenant_id, session_id, event, from_value, to_value, version, occurred_at)
            SELECT @TenantId, @SessionId, 'created', NULL, @State, s.version, @At FROM s WHERE @ExpectedVersion = 0
            UNION ALL
            SELECT @TenantId, @SessionId, 'state_changed', @PreviousState, @State, s.version, @At FROM s
             WHERE @ExpectedVersion > 0 AND @PreviousState <> @State
            UNION ALL
            SELECT @TenantId, @SessionId, 'status_changed', 'active', @Status, s.version, @At FROM s
             WHERE @Status <> 'active'
        )
        SELECT version AS Version, message_count AS MessageCount FROM s;
        """;

    public const string AppendToExisting = SetTenant + """
        WITH s AS (
            UPDATE sessions
               SET state = @State,
                   status = @Status,
                   skill_name = COALESCE(@SkillName, skill_name),
                   skill_description = COALESCE(@SkillDescription, skill_description),
                   context = @ContextJson::jsonb,
                   version = version + 1,
                   message_count = message_count + 2,
                   updated_at = @At,
                   last_activity_at = @At,
                   completed_at = CASE WHEN @Status = 'completed' THEN @At ELSE completed_at END
             WHERE tenant_id = @TenantId AND session_id = @SessionId
               AND version = @ExpectedVersion AND status = 'active'
         RETURNING version, message_count
        )
        """ + AppendTail;

    public const string AppendToNew = SetTenant + """
        WITH s AS (
            INSERT INTO sessions (tenant_id, session_id, state, status, skill_name, skill_description, context, version,
                                  message_count, created_at, updated_at, last_activity_at, completed_at)
            VALUES (@TenantId, @SessionId, @State, @Status, @SkillName, @SkillDescription, @ContextJson::jsonb, 1,
                    2, @At, @At, @At, CASE WHEN @Status = 'completed' THEN @At END)
            ON CONFLICT (tenant_id, session_id) DO NOTHING
         RETURNING version, message_count
        )
        """ + AppendTail;

    /// <summary>A turn already in the log, found by its id (the assistant half carries the reply).</summary>
    public const string FindTurn = SetTenant + """
        SELECT turn_id AS TurnId, content AS Reply, seq / 2 AS Version, seq::int AS MessageCount
          FROM messages
         WHERE tenant_id = @TenantId AND session_id = @SessionId AND turn_id = @TurnId AND role = 'assistant';
        """;

    /// <summary>The row, then @Limit + 1 messages before @BeforeSeq newest first (the extra one says HasMore).</summary>
    public const string History = SetTenant + $"""
        SELECT {SessionColumns} FROM sessions WHERE tenant_id = @TenantId AND session_id = @SessionId;
        SELECT {MessageColumns} FROM messages
         WHERE tenant_id = @TenantId AND session_id = @SessionId AND seq < @BeforeSeq
         ORDER BY seq DESC LIMIT @Limit + 1;
        """;

    /// <summary>
    /// Messages first (they reference the row), then the row, then one audit line saying an erasure happened:
    /// ids, time, count and the operator's reason; no content. One implicit transaction: all or nothing.
    /// </summary>
    public const string Erase = SetTenant + """
        WITH gone AS (DELETE FROM messages WHERE tenant_id = @TenantId AND session_id = @SessionId RETURNING 1),
        audited AS (
            INSERT INTO session_audit (tenant_id, session_id, event, to_value, count, occurred_at)
            SELECT @TenantId, @SessionId, 'erased', @Reason, count(*), @At FROM gone
            RETURNING count
        )
        SELECT count::int FROM audited;
        WITH gone AS (DELETE FROM sessions WHERE tenant_id = @TenantId AND session_id = @SessionId RETURNING 1)
        SELECT count(*)::int FROM gone;
        """;
}

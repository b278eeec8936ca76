namespace SkillForge.Sessions.Storage;

/// <summary>
/// Every statement of <see cref="SessionStore"/>. Each command starts by naming its tenant for row-level
/// security (<c>set_config(..., true)</c> is <c>SET LOCAL</c>: it lasts for the command's implicit transaction).
/// All values are Dapper parameters; nothing here is built from user data.
/// </summary>
internal static class SessionSql
{
    private const string SetTenant = "SELECT set_config('skillforge.tenant_id', @TenantId, true);\n";

    private const string SessionColumns = """
        tenant_id AS TenantId, session_id AS SessionId, state AS State, status AS Status, skill_name AS SkillName,
        context::text AS ContextJson, jsonb_typeof(context) AS ContextType, version AS Version,
        message_count AS MessageCount, created_at AS CreatedAt, updated_at AS UpdatedAt, user_id AS UserId
        """;

    // A turn row holds two messages (migration 0005): turn n is seq 2n-1 (user) and 2n (assistant). Readers take
    // the newest turns they need by the primary key, newest first, and unnest each into its messages.
    private const string TurnMessages = """
        CROSS JOIN LATERAL (VALUES (2 * t.turn_no, 'assistant', t.assistant_content),
                                   (2 * t.turn_no - 1, 'user', t.user_content)) AS m(seq, role, content)
        """;

    private const string MessageColumns = "m.seq AS Seq, m.role AS Role, m.content AS Content, t.turn_id AS TurnId, t.created_at AS CreatedAt";

    /// <summary>The row, then the latest @Window messages newest first (the caller reverses them).</summary>
    public const string Load = SetTenant + $"""
        SELECT {SessionColumns} FROM sessions WHERE tenant_id = @TenantId AND session_id = @SessionId;
        SELECT {MessageColumns}
          FROM (SELECT * FROM turns
                 WHERE tenant_id = @TenantId AND session_id = @SessionId
                 ORDER BY turn_no DESC LIMIT (@Window + 1) / 2) AS t
        {TurnMessages}
         ORDER BY m.seq DESC LIMIT @Window;
        """;

    // The append is one statement: the session row moves from @ExpectedVersion to the next version only if
    // it is still active at that version and belongs to no other user (the first turn naming one sets it), and the turn (its two messages) and audit rows hang off that row change.
    // Zero rows back means a conflict; a unique violation on ux_turns_turn means the turn was applied before.
    // Either way the implicit transaction rolls back whole: nothing is half-written.
    private const string AppendTail = """
        , appended AS (
            INSERT INTO turns (tenant_id, session_id, turn_no, turn_id, user_content, assistant_content, created_at)
            SELECT @TenantId, @SessionId, s.message_count / 2, @TurnId, @UserText, @Reply, @At FROM s
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
                   skill_layer = COALESCE(@SkillLayer, skill_layer),
                   context = @ContextJson::jsonb,
                   version = version + 1,
                   message_count = message_count + 2,
                   updated_at = @At,
                   last_activity_at = @At,
                   completed_at = CASE WHEN @Status = 'completed' THEN @At ELSE completed_at END,
                   user_id = COALESCE(user_id, @UserId)
             WHERE tenant_id = @TenantId AND session_id = @SessionId
               AND version = @ExpectedVersion AND status = 'active'
               AND (user_id IS NULL OR @UserId IS NULL OR user_id = @UserId)
         RETURNING version, message_count
        )
        """ + AppendTail;

    public const string AppendToNew = SetTenant + """
        WITH s AS (
            INSERT INTO sessions (tenant_id, session_id, state, status, skill_name, skill_description, context, version,
                                  message_count, created_at, updated_at, last_activity_at, completed_at, user_id, skill_layer)
            VALUES (@TenantId, @SessionId, @State, @Status, @SkillName, @SkillDescription, @ContextJson::jsonb, 1,
                    2, @At, @At, @At, CASE WHEN @Status = 'completed' THEN @At END, @UserId, @SkillLayer)
            ON CONFLICT (tenant_id, session_id) DO NOTHING
         RETURNING version, message_count
        )
        """ + AppendTail;

    /// <summary>A turn already in the log, found by its id, with the version and message count it left behind.</summary>
    public const string FindTurn = SetTenant + """
        SELECT turn_id AS TurnId, assistant_content AS Reply, turn_no AS Version, (2 * turn_no)::int AS MessageCount
          FROM turns
         WHERE tenant_id = @TenantId AND session_id = @SessionId AND turn_id = @TurnId;
        """;

    /// <summary>
    /// The row, then @Limit + 1 messages before @BeforeSeq newest first (the extra one says HasMore). Turns with a
    /// message before @BeforeSeq are those with 2n - 1 &lt; @BeforeSeq, i.e. n &lt;= @BeforeSeq / 2; the newest of
    /// them may count only its user half, hence one turn more than the messages need.
    /// </summary>
    public const string History = SetTenant + $"""
        SELECT {SessionColumns} FROM sessions WHERE tenant_id = @TenantId AND session_id = @SessionId;
        SELECT {MessageColumns}
          FROM (SELECT * FROM turns
                 WHERE tenant_id = @TenantId AND session_id = @SessionId AND turn_no <= @BeforeSeq / 2
                 ORDER BY turn_no DESC LIMIT (@Limit + 1) / 2 + 1) AS t
        {TurnMessages}
         WHERE m.seq < @BeforeSeq
         ORDER BY m.seq DESC LIMIT @Limit + 1;
        """;

    public const string List = SetTenant + """
        SELECT session_id AS SessionId, state AS State, status AS Status, skill_name AS SkillName, version AS Version,
               message_count AS MessageCount, created_at AS CreatedAt, last_activity_at AS LastActivityAt
          FROM sessions
         WHERE tenant_id = @TenantId
           AND (@Status::text IS NULL OR status = @Status::text)
           AND session_id > @After
         ORDER BY session_id
         LIMIT @Limit;
        """;

    /// <summary>A user's sessions after the cursor's position, latest activity first, one more than the page (says "more").</summary>
    public const string UserSessions = SetTenant + """
        SELECT session_id AS SessionId, state AS State, status AS Status, skill_name AS SkillName, version AS Version,
               message_count AS MessageCount, created_at AS CreatedAt, last_activity_at AS LastActivityAt
          FROM sessions
         WHERE tenant_id = @TenantId AND user_id = @UserId
           AND (@Status::text IS NULL OR status = @Status::text)
           AND (@AfterAt::timestamptz IS NULL OR (last_activity_at, session_id) < (@AfterAt::timestamptz, @AfterId::text))
         ORDER BY last_activity_at DESC, session_id DESC
         LIMIT @Limit + 1;
        """;

    /// <summary>The row with everything an export shows, then its life's audit lines, oldest first.</summary>
    public const string Export = SetTenant + """
        SELECT user_id AS UserId, state AS State, status AS Status, skill_name AS SkillName, skill_description AS SkillDescription,
               context::text AS ContextJson, message_count AS MessageCount, created_at AS CreatedAt,
               last_activity_at AS LastActivityAt, completed_at AS CompletedAt, abandoned_at AS AbandonedAt
          FROM sessions WHERE tenant_id = @TenantId AND session_id = @SessionId;
        SELECT event AS Kind, from_value AS "From", to_value AS "To", occurred_at AS At
          FROM session_audit
         WHERE tenant_id = @TenantId AND session_id = @SessionId AND event IN ('created', 'state_changed', 'status_changed')
         ORDER BY id;
        """;

    public const string LastErasure = SetTenant + """
        SELECT max(occurred_at) FROM session_audit
         WHERE tenant_id = @TenantId AND session_id = @SessionId AND event = 'erased';
        """;

    public const string CompletedSkills = SetTenant + """
        SELECT skill_name AS Name, COALESCE(skill_description, '') AS Description, skill_layer AS Layer, user_id AS Owner
          FROM sessions
         WHERE tenant_id = @TenantId AND status = 'completed' AND skill_name IS NOT NULL
         ORDER BY completed_at DESC
         LIMIT @Limit;
        """;

    /// <summary>
    /// First, whether a legal hold in force covers the session (on it, on its user, on its tenant), unless this request
    /// erased it already: the answer is kept for the transaction (a hold placed during the batch cannot make it half
    /// an erasure), and a held session is left whole, with an audit line saying the erasure was refused. Otherwise
    /// turns (they reference the row), then the row, with one audit line saying an erasure happened: ids,
    /// time, message count, the status the session had (none: it did not exist), the operator's reason and the
    /// request's id; no content. Last, what all of this request's attempts erased (its audit lines, this one's too),
    /// for a request delivered again after its commit. One implicit transaction: all or nothing.
    /// </summary>
    public const string Erase = SetTenant + """
        SELECT set_config('skillforge.erasure_held', (
            EXISTS (SELECT 1 FROM legal_holds h
                     WHERE h.tenant_id = @TenantId AND h.released_at IS NULL
                       AND (h.session_id = @SessionId OR (h.session_id IS NULL AND h.user_id IS NULL)
                            OR h.user_id = (SELECT user_id FROM sessions WHERE tenant_id = @TenantId AND session_id = @SessionId)))
            AND NOT EXISTS (SELECT 1 FROM session_audit
                             WHERE tenant_id = @TenantId AND session_id = @SessionId AND event = 'erased' AND request_id = @RequestId)
            )::text, true)::boolean;
        WITH refused AS (
            INSERT INTO session_audit (tenant_id, session_id, event, from_value, to_value, occurred_at, request_id)
            SELECT @TenantId, @SessionId, 'erasure_refused',
                   (SELECT status FROM sessions WHERE tenant_id = @TenantId AND session_id = @SessionId), 'legal_hold', @At, @RequestId
             WHERE current_setting('skillforge.erasure_held')::boolean
            RETURNING 1
        )
        SELECT count(*) FROM refused;
        WITH gone AS (
            DELETE FROM turns WHERE tenant_id = @TenantId AND session_id = @SessionId
               AND NOT current_setting('skillforge.erasure_held')::boolean
            RETURNING 1
        ),
        audited AS (
            INSERT INTO session_audit (tenant_id, session_id, event, from_value, to_value, count, occurred_at, request_id)
            SELECT @TenantId, @SessionId, 'erased',
                   (SELECT status FROM sessions WHERE tenant_id = @TenantId AND session_id = @SessionId), @Reason,
                   2 * count(*), @At, @RequestId
              FROM gone
            HAVING NOT current_setting('skillforge.erasure_held')::boolean
            RETURNING count
        )
        SELECT count::int FROM audited;
        WITH gone AS (
            DELETE FROM sessions WHERE tenant_id = @TenantId AND session_id = @SessionId
               AND NOT current_setting('skillforge.erasure_held')::boolean
            RETURNING 1
        )
        SELECT count(*)::int FROM gone;
        SELECT COALESCE(bool_or(from_value IS NOT NULL), false) AS Existed, COALESCE(sum(count), 0)::int AS MessagesDeleted
          FROM session_audit
         WHERE tenant_id = @TenantId AND session_id = @SessionId AND event = 'erased' AND request_id = @RequestId;
        """;

    /// <summary>
    /// Whether a hold in force covers the user (on the user, on the tenant, or on one of the user's sessions), then
    /// the next batch of the user's session ids after <c>@After</c>, in id order.
    /// </summary>
    public const string UserErasureBatch = SetTenant + """
        SELECT EXISTS (SELECT 1 FROM legal_holds h
                        WHERE h.tenant_id = @TenantId AND h.released_at IS NULL
                          AND ((h.session_id IS NULL AND h.user_id IS NULL) OR h.user_id = @UserId
                               OR h.session_id IN (SELECT session_id FROM sessions WHERE tenant_id = @TenantId AND user_id = @UserId)));
        SELECT session_id FROM sessions
         WHERE tenant_id = @TenantId AND user_id = @UserId AND session_id > @After
         ORDER BY session_id
         LIMIT @Limit;
        """;

    /// <summary>What one user erasure request erased over all its attempts: sessions that existed, and their messages.</summary>
    public const string UserErasureTotals = SetTenant + """
        SELECT count(*) FILTER (WHERE from_value IS NOT NULL)::int AS SessionsErased, COALESCE(sum(count), 0)::bigint AS MessagesDeleted
          FROM session_audit
         WHERE tenant_id = @TenantId AND event = 'erased' AND request_id = @RequestId;
        """;

    public const string UserErasureRefused = SetTenant + """
        INSERT INTO session_audit (tenant_id, session_ids, event, from_value, to_value, occurred_at, request_id)
        VALUES (@TenantId, ARRAY[]::text[], 'erasure_refused', 'user', 'legal_hold', @At, @RequestId);
        """;
}

using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using SkillForge.Sessions.Hosting;

namespace SkillForge.Sessions.Storage;

/// <summary>
/// The durable session store (PostgreSQL via Npgsql + Dapper). Every operation is scoped by tenant and session,
/// validates its input before any I/O, and is one round trip in one transaction.
/// </summary>
public sealed class SessionStore(SessionDatabase database, IOptions<SessionStoreOptions> options, ILogger<SessionStore> logger)
{
    public const int MaxHistoryPage = 1_000;

    // Replies may quote a whole SKILL.md; the user's limit is for what people type, not for what the agent writes.
    private const int MaxReplyLength = 256 * 1024;

    private readonly SessionStoreOptions _options = options.Value;

    /// <summary>The session with its latest messages (the configured window), or null when it does not exist.</summary>
    public async Task<StoredSession?> LoadAsync(SessionKey key, CancellationToken cancellationToken)
    {
        SessionInputRules.ValidateKey(key);
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        using var results = await TenantBatchAsync(connection, SessionSql.Load,
            new { key.TenantId, key.SessionId, Window = _options.WindowSize }, cancellationToken);
        var row = await results.ReadSingleOrDefaultAsync<SessionRow>();
        var messages = (await results.ReadAsync<MessageRow>()).Reverse().Select(m => m.ToMessage()).ToList();
        return row?.ToSession(key, messages, logger);
    }

    /// <summary>
    /// Appends a turn atomically under the version check. Never throws for a conflict or a replayed turn id:
    /// those are <see cref="AppendOutcome"/> values the caller acts on.
    /// </summary>
    public async Task<AppendResult> AppendTurnAsync(TurnToAppend turn, CancellationToken cancellationToken)
    {
        SessionInputRules.ValidateKey(turn.Key);
        SessionInputRules.ValidateText(turn.UserText, _options.MaxTextLength);
        SessionInputRules.ValidateText(turn.Reply, MaxReplyLength, "Reply");
        SessionInputRules.ValidateUserId(turn.UserId);
        if (turn.ExpectedVersion < 0)
        {
            throw new InvalidSessionInputException(InvalidSessionInputException.InvalidRequest, "ExpectedVersion must not be negative.");
        }
        if (!SessionStatus.IsKnown(turn.Status))
        {
            throw new InvalidSessionInputException(InvalidSessionInputException.InvalidRequest, $"Status '{turn.Status}' is not a session status.");
        }

        var sql = turn.ExpectedVersion == 0 ? SessionSql.AppendToNew : SessionSql.AppendToExisting;
        var parameters = new
        {
            turn.Key.TenantId,
            turn.Key.SessionId,
            turn.TurnId,
            turn.ExpectedVersion,
            turn.UserText,
            turn.Reply,
            turn.PreviousState,
            turn.State,
            turn.Status,
            turn.SkillName,
            turn.SkillDescription,
            turn.SkillLayer,
            turn.ContextJson,
            turn.UserId,
            At = turn.At.UtcDateTime,
        };

        try
        {
            await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
            using var results = await TenantBatchAsync(connection, sql, parameters, cancellationToken);
            var appended = await results.ReadSingleOrDefaultAsync<AppendedRow>();
            return appended is { } a
                ? new AppendResult(AppendOutcome.Appended, a.Version, a.MessageCount)
                : AppendResult.Conflict;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "ux_turns_turn")
        {
            var stored = await FindTurnAsync(turn.Key, turn.TurnId, cancellationToken)
                ?? throw new InvalidOperationException($"Turn {turn.TurnId} of {turn.Key} violated its unique key but cannot be found.", e);
            return new AppendResult(AppendOutcome.AlreadyApplied, stored.Version, stored.MessageCount, stored);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.ForeignKeyViolation)
        {
            // A racing writer created the session (primary key) or erased it (foreign key) between our read and write.
            return AppendResult.Conflict;
        }
    }

    /// <summary>A turn already applied to the session, or null.</summary>
    public async Task<StoredTurn?> FindTurnAsync(SessionKey key, Guid turnId, CancellationToken cancellationToken)
    {
        SessionInputRules.ValidateKey(key);
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        using var results = await TenantBatchAsync(connection, SessionSql.FindTurn,
            new { key.TenantId, key.SessionId, TurnId = turnId }, cancellationToken);
        return await results.ReadSingleOrDefaultAsync<StoredTurn>();
    }

    /// <summary>A page of messages before <paramref name="beforeSeq"/> (all when null), oldest first; null when the session does not exist.</summary>
    public async Task<HistoryPage?> ReadHistoryAsync(SessionKey key, int limit, long? beforeSeq, CancellationToken cancellationToken)
    {
        SessionInputRules.ValidateKey(key);
        if (limit is < 1 or > MaxHistoryPage)
        {
            throw new InvalidSessionInputException(InvalidSessionInputException.InvalidRequest, $"Limit must be between 1 and {MaxHistoryPage}.");
        }
        if (beforeSeq is < 1)
        {
            throw new InvalidSessionInputException(InvalidSessionInputException.InvalidRequest, "BeforeSeq must be 1 or more.");
        }

        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        using var results = await TenantBatchAsync(connection, SessionSql.History,
            new { key.TenantId, key.SessionId, Limit = limit, BeforeSeq = beforeSeq ?? long.MaxValue }, cancellationToken);
        var row = await results.ReadSingleOrDefaultAsync<SessionRow>();
        var newestFirst = (await results.ReadAsync<MessageRow>()).ToList();
        if (row is null)
        {
            return null;
        }
        var page = WithinBytes(newestFirst.Take(limit).Select(m => m.ToMessage()), _options.MaxHistoryPageBytes);
        var hasMore = newestFirst.Count > page.Count;
        page.Reverse();
        return new HistoryPage(row.ToSession(key, [], logger), page, hasMore);
    }

    /// <summary>
    /// The newest messages whose content fits in <paramref name="maxBytes"/> as JSON, newest first; at least one. The
    /// size is measured with the strictest escaping a serializer may use, so the real message is never larger.
    /// </summary>
    private static List<StoredMessage> WithinBytes(IEnumerable<StoredMessage> newestFirst, int maxBytes)
    {
        const int perMessage = 128; // the other fields of a message (seq, role, time) and the JSON around them
        var page = new List<StoredMessage>();
        long bytes = 0;
        foreach (var message in newestFirst)
        {
            bytes += System.Text.Json.JsonEncodedText.Encode(message.Content).EncodedUtf8Bytes.Length + perMessage;
            if (bytes > maxBytes && page.Count > 0)
            {
                break;
            }
            page.Add(message);
        }
        return page;
    }

    /// <summary>A tenant's sessions ordered by id, after <paramref name="afterSessionId"/> (keyset paging), optionally of one status.</summary>
    public async Task<IReadOnlyList<SessionSummary>> ListSessionsAsync(
        string tenantId, string? status, string? afterSessionId, int limit, CancellationToken cancellationToken)
    {
        SessionInputRules.ValidateId(tenantId, "TenantId");
        if (afterSessionId is not null)
        {
            SessionInputRules.ValidateId(afterSessionId, "After");
        }
        if (status is not null && !SessionStatus.IsKnown(status))
        {
            throw new InvalidSessionInputException(InvalidSessionInputException.InvalidRequest, $"Status '{status}' is not a session status.");
        }
        if (limit is < 1 or > MaxHistoryPage)
        {
            throw new InvalidSessionInputException(InvalidSessionInputException.InvalidRequest, $"Limit must be between 1 and {MaxHistoryPage}.");
        }

        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        using var results = await TenantBatchAsync(connection, SessionSql.List,
            new { TenantId = tenantId, Status = status, After = afterSessionId ?? "", Limit = limit }, cancellationToken);
        return (await results.ReadAsync<SummaryRow>()).Select(r => r.ToSummary()).ToList();
    }

    /// <summary>Everything held about the session besides its messages, or null when it does not exist.</summary>
    public async Task<SessionRecord?> ExportAsync(SessionKey key, CancellationToken cancellationToken)
    {
        SessionInputRules.ValidateKey(key);
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        using var results = await TenantBatchAsync(connection, SessionSql.Export, new { key.TenantId, key.SessionId }, cancellationToken);
        var row = await results.ReadSingleOrDefaultAsync<ExportRow>();
        var changes = (await results.ReadAsync<ChangeRow>())
            .Select(c => new SessionChange(c.Kind, c.From, c.To, SessionRow.AsUtc(c.At))).ToList();
        return row is null ? null : new SessionRecord(key, row.UserId, row.State, row.Status, row.SkillName, row.SkillDescription,
            row.ContextJson, row.MessageCount, SessionRow.AsUtc(row.CreatedAt), SessionRow.AsUtc(row.LastActivityAt),
            row.CompletedAt is { } completed ? SessionRow.AsUtc(completed) : null,
            row.AbandonedAt is { } abandoned ? SessionRow.AsUtc(abandoned) : null, changes);
    }

    public const int MaxUserSessionsPage = 200;

    /// <summary>A page of one user's sessions, latest activity first, and the cursor of the next page (null on the last).</summary>
    /// <exception cref="InvalidSessionInputException">Bad ids, status, limit or cursor.</exception>
    public async Task<(IReadOnlyList<SessionSummary> Sessions, string? NextCursor)> ListUserSessionsAsync(
        string tenantId, string userId, string? status, string? cursor, int limit, CancellationToken cancellationToken)
    {
        ValidateUser(tenantId, userId);
        if (status is not null && !SessionStatus.IsKnown(status))
        {
            throw new InvalidSessionInputException(InvalidSessionInputException.InvalidRequest, $"Status '{status}' is not a session status.");
        }
        if (limit is < 1 or > MaxUserSessionsPage)
        {
            throw new InvalidSessionInputException(InvalidSessionInputException.InvalidRequest, $"Limit must be between 1 and {MaxUserSessionsPage}.");
        }
        var after = cursor is null ? (UserSessionCursor?)null : UserSessionCursor.Parse(cursor);

        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        using var results = await TenantBatchAsync(connection, SessionSql.UserSessions, new
        {
            TenantId = tenantId, UserId = userId, Status = status, Limit = limit,
            AfterAt = after?.LastActivityAt.UtcDateTime, AfterId = after?.SessionId,
        }, cancellationToken);
        var rows = (await results.ReadAsync<SummaryRow>()).Select(r => r.ToSummary()).ToList();
        var page = rows.Take(limit).ToList();
        return (page, rows.Count > limit ? new UserSessionCursor(page[^1].LastActivityAt, page[^1].SessionId).ToString() : null);
    }

    /// <summary>
    /// Runs one of <see cref="SessionSql"/>'s tenant-scoped batches and returns its results after the first: each batch
    /// begins by naming its tenant for row-level security (<c>set_config</c>), whose result nobody needs.
    /// </summary>
    private static async Task<SqlMapper.GridReader> TenantBatchAsync(NpgsqlConnection connection, string sql, object parameters,
        CancellationToken cancellationToken)
    {
        var results = await connection.QueryMultipleAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
        try
        {
            await results.ReadAsync();
            return results;
        }
        catch
        {
            results.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Whether the session was erased at or after <paramref name="at"/>, as far as the audit remembers. What was sent
    /// or answered before then belongs to the erased conversation and must not bring it back, even under an id reused since.
    /// </summary>
    public async Task<bool> ErasedSinceAsync(SessionKey key, DateTimeOffset at, CancellationToken cancellationToken) =>
        await LastErasedAtAsync(key, cancellationToken) is { } erasedAt && erasedAt >= at;

    private async Task<DateTimeOffset?> LastErasedAtAsync(SessionKey key, CancellationToken cancellationToken)
    {
        SessionInputRules.ValidateKey(key);
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        using var results = await TenantBatchAsync(connection, SessionSql.LastErasure,
            new { key.TenantId, key.SessionId }, cancellationToken);
        // timestamptz reads as a UTC DateTime.
        return await results.ReadSingleAsync<DateTime?>() is { } at ? SessionRow.AsUtc(at) : null;
    }

    /// <summary>The tenant's most recently completed skills (name and description).</summary>
    public async Task<IReadOnlyList<CompletedSkill>> ListCompletedSkillsAsync(string tenantId, int limit, CancellationToken cancellationToken)
    {
        SessionInputRules.ValidateId(tenantId, "TenantId");
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        using var results = await TenantBatchAsync(connection, SessionSql.CompletedSkills,
            new { TenantId = tenantId, Limit = Math.Clamp(limit, 1, MaxHistoryPage) }, cancellationToken);
        return (await results.ReadAsync<CompletedSkill>()).ToList();
    }

    /// <summary>
    /// Deletes the session's turns and row; the audit keeps only that it happened, by which request, and the reason as
    /// a code (<see cref="ErasureReasons"/>). A session a legal hold covers is left whole (<see cref="ErasureResult.IsHeld"/>),
    /// and the refusal audited.
    /// </summary>
    /// <param name="requestId">
    /// The request's id, the same on each delivery of it: an attempt that finds nothing left (the request's first
    /// attempt erased the session and its answer never left) answers what the request erased. Null: this attempt only.
    /// </param>
    public async Task<ErasureResult> EraseAsync(SessionKey key, string? reason, Guid? requestId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        SessionInputRules.ValidateKey(key);

        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        using var results = await TenantBatchAsync(connection, SessionSql.Erase,
            new { key.TenantId, key.SessionId, Reason = ErasureReasons.ToCode(reason), At = at.UtcDateTime, RequestId = requestId }, cancellationToken);
        if (await results.ReadSingleAsync<bool>())
        {
            return ErasureResult.Held;
        }
        await results.ReadSingleAsync<long>(); // the refusal's audit line: none, as it was not held
        var messagesDeleted = await results.ReadSingleOrDefaultAsync<int>();
        var removedNow = await results.ReadSingleAsync<int>() > 0;
        var request = await results.ReadSingleAsync<(bool Existed, int MessagesDeleted)>();
        return requestId is null
            ? new ErasureResult(removedNow, messagesDeleted, removedNow)
            : new ErasureResult(request.Existed, request.MessagesDeleted, removedNow);
    }

    public const int UserErasureBatchSize = 100;

    /// <summary>
    /// Whether a legal hold covers the user or any of their sessions, and the next <see cref="UserErasureBatchSize"/>
    /// of the user's session ids after <paramref name="afterSessionId"/> (in id order; "" for the first batch).
    /// </summary>
    public async Task<(bool Held, IReadOnlyList<string> SessionIds)> UserSessionsToEraseAsync(string tenantId, string userId, string afterSessionId,
        CancellationToken cancellationToken)
    {
        ValidateUser(tenantId, userId);
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        using var results = await TenantBatchAsync(connection, SessionSql.UserErasureBatch,
            new { TenantId = tenantId, UserId = userId, After = afterSessionId, Limit = UserErasureBatchSize }, cancellationToken);
        var held = await results.ReadSingleAsync<bool>();
        return (held, (await results.ReadAsync<string>()).ToList());
    }

    /// <summary>What every attempt of one user erasure request erased: the sessions that existed and their messages.</summary>
    public async Task<(int SessionsErased, long MessagesDeleted)> UserErasureTotalsAsync(string tenantId, Guid requestId, CancellationToken cancellationToken)
    {
        SessionInputRules.ValidateId(tenantId, "TenantId");
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        using var results = await TenantBatchAsync(connection, SessionSql.UserErasureTotals, new { TenantId = tenantId, RequestId = requestId }, cancellationToken);
        return await results.ReadSingleAsync<(int, long)>();
    }

    /// <summary>Audits a user erasure refused for a legal hold (one line under the tenant, naming the request).</summary>
    public async Task RecordUserErasureRefusedAsync(string tenantId, string userId, Guid requestId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ValidateUser(tenantId, userId);
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        using var _ = await TenantBatchAsync(connection, SessionSql.UserErasureRefused,
            new { TenantId = tenantId, RequestId = requestId, At = at.UtcDateTime }, cancellationToken);
    }

    private static void ValidateUser(string tenantId, string userId)
    {
        SessionInputRules.ValidateId(tenantId, "TenantId");
        SessionInputRules.ValidateUserId(userId ?? throw new InvalidSessionInputException(InvalidSessionInputException.InvalidRequest, "UserId is required."));
    }
}

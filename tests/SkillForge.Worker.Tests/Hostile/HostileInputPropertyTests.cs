using CsCheck;
using Dapper;
using SkillForge.Testing;

namespace SkillForge.Worker.Tests.Hostile;

/// <summary>
/// Hostile input, property-based over every field of the requests, through the client and the in-memory
/// bus (so serialisation is part of it) into the real handlers, PostgreSQL and Redis. Invariants: every request is
/// answered (no fault, no endless retry), a rejected turn writes nothing, an accepted text round-trips exactly,
/// another tenant's ids find nothing, and a user's listing and erasure reach that user's sessions only.
/// </summary>
public sealed class HostileInputPropertyTests : HarnessTests
{
    private const int MaxText = 16_384;
    private readonly string _run = $"p{Guid.NewGuid():N}"[..12];

    /// <summary>Strings meant to break something: SQL and Lua metacharacters, JSON and key syntax, control characters, unicode.</summary>
    private static readonly Gen<string> Nasty = Gen.OneOf(
        "'; DROP TABLE sessions; --", "\" OR 1=1 --", "$1", "%s%n", "]] redis.call('FLUSHALL') --[[", "{sf:", "}", "*", "?",
        "a\u0000b", "\u0000", " ", "\t\n", "é", "漢字", "🙂", "\ud800", "\udc00x", "../../etc/passwd", "tenant:session", "a b");

    private static readonly Gen<string> ValidId = Gen.Char["abcXYZ019._:-"].Array[1, 24].Select(c => new string(c));

    /// <summary>Mostly ids the rules accept, then empty, too long and nasty ones.</summary>
    private static readonly Gen<string> Id = Gen.Frequency(
        (6, ValidId),
        (1, Gen.Const("")),
        (1, Gen.Char['a', 'z'].Array[129, 300].Select(c => new string(c))),
        (2, Gen.Select(ValidId, Nasty, (id, nasty) => id + nasty)));

    /// <summary>Any text: arbitrary UTF-16 (with lone surrogates), nasty fragments, NUL, empty, at and over the size limit.</summary>
    private static readonly Gen<string> Text = Gen.Frequency(
        (6, Gen.Select(Gen.Char.Array[1, 200].Select(c => new string(c)), Nasty, (text, nasty) => text + nasty)),
        (3, Gen.Char["abcdefghijklmnopqrstuvwxyz .,!?0123456789"].Array[1, 80].Select(c => new string(c))),
        (1, Gen.Const("")),
        (1, Gen.Int[MaxText - 1, MaxText + 2].Select(n => new string('x', n - 1) + "🙂"[..1])),
        (1, Gen.Int[MaxText - 2, MaxText + 50].Select(n => new string('é', n))));

    [Fact]
    public async Task Should_answer_every_turn_and_store_exactly_what_it_accepted()
    {
        await Gen.Select(Id, Id, Text).SampleAsync(async (tenant, session, text) =>
        {
            var ownTenant = Own(tenant);
            var before = await CountAsync(ownTenant, session);
            if (!IsWellFormed(text))
            {
                // No JSON message can carry a lone surrogate: the client refuses it before anything is sent.
                await Assert.ThrowsAsync<ArgumentException>(() => Client.SendTurnAsync(ownTenant, session, text));
                Assert.Equal(before, await CountAsync(ownTenant, session));
                return;
            }

            var result = await Client.SendTurnAsync(ownTenant, session, text);

            var after = await CountAsync(ownTenant, session);
            if (result.Rejected is { } rejected)
            {
                Assert.Contains(rejected.Code, new[] { "invalid_request", "too_large", "session_closed" });
                Assert.Equal(before, after);
                return;
            }
            var replied = result.Replied!;
            Assert.False(replied.Replayed);
            Assert.Equal((before.Sessions == 0 ? 1 : before.Sessions, before.Messages + 2), after);
            Assert.Equal(text, await UserMessageAsync(ownTenant, session, replied.Version * 2 - 1));
        }, iter: 150, threads: 1, print: t => $"tenant {Show(t.Item1)}, session {Show(t.Item2)}, text {Show(t.Item3)}");
    }

    [Fact]
    public async Task Should_find_nothing_of_a_session_with_another_tenants_ids()
    {
        await Gen.Select(ValidId, Id).SampleAsync(async (session, otherTenant) =>
        {
            // Fresh tenants per sample: a generated id seen twice must not meet the previous sample's session.
            var sample = Interlocked.Increment(ref _samples);
            var owner = Own($"owner{sample}");
            var intruder = Own($"x{sample}-{otherTenant}");
            var turn = await Client.SendTurnAsync(owner, session, "I want a skill that formats SQL");
            Assert.True(turn.IsReplied, turn.Rejected?.Reason);

            var history = await Client.GetHistoryAsync(intruder, session);
            var erased = (await Client.EraseAsync(intruder, session, "not yours")).Erased!;
            var hijack = await Client.SendTurnAsync(intruder, session, "and now mine");

            Assert.False(history.Found);
            Assert.False(erased.Existed);
            Assert.Equal(0, erased.MessagesDeleted);
            Assert.True(hijack.Rejected is not null || hijack.Replied!.Version == 1); // a session of the intruder's own, if anything
            var owners = (await Client.GetHistoryAsync(owner, session)).History!;
            Assert.DoesNotContain(owners.Messages, m => m.Content == "and now mine");
        }, iter: 40, threads: 1);
    }

    [Fact]
    public async Task Should_answer_history_and_erase_requests_with_any_ids_without_a_fault()
    {
        await Gen.Select(Id, Id, Gen.Int[-5, 2000], Gen.Long[-3, 10].Nullable()).SampleAsync(async (tenant, session, limit, before) =>
        {
            var history = await Client.GetHistoryAsync(Own(tenant), session, limit, before);
            var erased = (await Client.EraseAsync(Own(tenant), session, "property test")).Erased!;

            Assert.False(history.Found);
            Assert.False(erased.Existed);
        }, iter: 100, threads: 1);
    }

    /// <summary>User ids as upstream services might send them, and worse: e-mail addresses, control characters, NUL, too long.</summary>
    private static readonly Gen<string?> UserId = Gen.Frequency(
        (2, Gen.Const((string?)null)),
        (4, ValidId.Select(id => (string?)$"{id}@example.com")),
        (3, Gen.Select(ValidId, Nasty, (id, nasty) => (string?)(id + nasty))),
        (1, Gen.Const((string?)"")),
        (1, Gen.Int[255, 258].Select(n => (string?)new string('u', n))),
        (1, Gen.Const((string?)"ana[2J")));

    /// <summary>Cursors a listing never issued: none, garbage, nasty text, base64 of something else.</summary>
    private static readonly Gen<string?> Cursor = Gen.Frequency(
        (2, Gen.Const((string?)null)),
        (2, Nasty.Select(n => (string?)n)),
        (2, Gen.Char.Array[1, 60].Select(c => (string?)new string(c))),
        (2, Gen.Select(Gen.Long[0, long.MaxValue], ValidId, (ticks, id) =>
            (string?)Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{ticks}|{id}|{{\"x\":1}}")))));

    [Fact]
    public async Task Should_answer_hostile_user_ids_and_cursors_without_a_fault_and_list_and_erase_only_the_users_own()
    {
        await Gen.Select(ValidId, UserId, Cursor).SampleAsync(async (session, userId, cursor) =>
        {
            if (!IsWellFormed(userId ?? "") || !IsWellFormed(cursor ?? ""))
            {
                return; // no JSON message can carry a lone surrogate
            }
            var tenant = Own($"u{Interlocked.Increment(ref _samples)}");
            var neighbour = await Client.SendTurnAsync(tenant, "neighbour", "I want a skill that formats SQL", userId: "someone-else");
            Assert.True(neighbour.IsReplied);

            var turn = await Client.SendTurnAsync(tenant, session, "I want a skill that formats SQL", userId: userId);
            var stored = await CountAsync(tenant, session);
            var listed = userId is null ? null : await Client.ListUserSessionsAsync(tenant, userId, cursor: cursor);
            var erased = userId is null ? null : await Client.EraseUserAsync(tenant, userId, "property test");

            if (turn.Rejected is { } rejected)
            {
                Assert.Equal("invalid_request", rejected.Code);
                Assert.Equal((0L, 0L), stored);
            }
            else
            {
                Assert.Equal((1L, 2L), stored);
            }
            if (listed is not null)
            {
                Assert.All(listed.Sessions, s => Assert.Equal(session, s.SessionId)); // never the neighbour's
                Assert.Equal(cursor is null && turn.IsReplied ? 1 : listed.Sessions.Count, listed.Sessions.Count);
                Assert.Null(erased!.Refused);
                Assert.Equal(turn.IsReplied ? 1 : 0, erased.Erased!.SessionsErased);
                Assert.Equal((0L, 0L), await CountAsync(tenant, session));
            }
            Assert.Equal((1L, 2L), await CountAsync(tenant, "neighbour"));
        }, iter: 60, threads: 1, print: t => $"session {Show(t.Item1)}, user {Show(t.Item2 ?? "(null)")}, cursor {Show(t.Item3 ?? "(null)")}");
    }

    private int _samples;

    /// <summary>Keeps this run's valid tenants apart from every other run's; an invalid id stays invalid.</summary>
    private string Own(string tenant) => tenant.Length is > 0 and <= 100 ? _run + tenant : tenant;

    private static async Task<(long Sessions, long Messages)> CountAsync(string tenant, string session)
    {
        await using var connection = await SharedDatabase.Superuser.OpenConnectionAsync();
        return await connection.QuerySingleAsync<(long, long)>("""
            SELECT (SELECT count(*) FROM sessions WHERE tenant_id = @tenant AND session_id = @session),
                   (SELECT count(*) FROM messages WHERE tenant_id = @tenant AND session_id = @session)
            """, new { tenant = Sanitised(tenant), session = Sanitised(session) });
    }

    private static async Task<string> UserMessageAsync(string tenant, string session, long seq)
    {
        await using var connection = await SharedDatabase.Superuser.OpenConnectionAsync();
        return await connection.QuerySingleAsync<string>(
            "SELECT content FROM messages WHERE tenant_id = @tenant AND session_id = @session AND seq = @seq AND role = 'user'",
            new { tenant, session, seq });
    }

    // Ids the worker rejects can hold NUL or lone surrogates, which PostgreSQL cannot even be asked about; they match no row.
    private static string Sanitised(string id) => id.Contains('\0', StringComparison.Ordinal) || !IsWellFormed(id) ? "" : id;

    private static bool IsWellFormed(string s)
    {
        try
        {
            _ = new System.Text.UTF8Encoding(false, true).GetByteCount(s);
            return true;
        }
        catch (System.Text.EncoderFallbackException)
        {
            return false;
        }
    }

    private static string Show(string s) => s.Length > 40 ? $"{s[..40]}… ({s.Length} chars)" : System.Text.Json.JsonSerializer.Serialize(s);
}

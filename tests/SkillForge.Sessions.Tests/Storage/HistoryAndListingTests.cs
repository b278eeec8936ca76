using SkillForge.Sessions.Hosting;
using SkillForge.Sessions.Storage;
using SkillForge.Testing;
using static SkillForge.Sessions.Tests.Storage.Turns;

namespace SkillForge.Sessions.Tests.Storage;

public sealed class HistoryAndListingTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Should_cap_a_page_in_bytes_and_page_through_a_thousand_messages_of_the_longest_text()
    {
        var store = await SharedDatabase.CreateStoreAsync();
        var key = new SessionKey(TestIds.Tenant(), TestIds.Session());
        await using (var db = await SharedDatabase.Superuser.OpenConnectionAsync())
        {
            // 500 turns, each message 16,384 characters with quotes, line breaks and non-ASCII (all escaped in JSON).
            await Dapper.SqlMapper.ExecuteAsync(db, """
                INSERT INTO sessions (tenant_id, session_id, state, status, context, version, message_count, created_at, updated_at, last_activity_at)
                VALUES (@TenantId, @SessionId, 'gathering_details', 'active', '{}', 500, 1000, now(), now(), now());
                INSERT INTO turns (tenant_id, session_id, turn_no, turn_id, user_content, assistant_content, created_at)
                SELECT @TenantId, @SessionId, g, gen_random_uuid(), left(repeat('ab"é' || chr(10), 4000), 16384),
                       left(repeat('yz<ü' || chr(10), 4000), 16384), now()
                  FROM generate_series(1, 500) AS g;
                """, new { key.TenantId, key.SessionId });
        }

        var pages = new List<HistoryPage>();
        long? before = null;
        do
        {
            var page = (await store.ReadHistoryAsync(key, SessionStore.MaxHistoryPage, before, None))!;
            pages.Add(page);
            before = page.Messages[0].Seq;
        }
        while (pages[^1].HasMore);

        Assert.True(pages.Count > 1, "one page of all thousand messages");
        Assert.All(pages, page => Assert.InRange(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(page.Messages).Length, 1, 2 * 1024 * 1024));
        Assert.Equal(Enumerable.Range(1, 1_000).Select(i => (long)i), Enumerable.Reverse(pages).SelectMany(p => p.Messages).Select(m => m.Seq));
    }

    [Fact]
    public async Task Should_page_history_backwards_oldest_first_within_a_page()
    {
        var store = await SharedDatabase.CreateStoreAsync();
        var key = await AppendManyAsync(store, new SessionKey(TestIds.Tenant(), TestIds.Session()), 5); // seq 1..10

        var newest = await store.ReadHistoryAsync(key, 4, null, None);
        var middle = await store.ReadHistoryAsync(key, 4, newest!.Messages[0].Seq, None);
        var oldest = await store.ReadHistoryAsync(key, 4, middle!.Messages[0].Seq, None);

        Assert.Equal([7L, 8, 9, 10], newest.Messages.Select(m => m.Seq));
        Assert.True(newest.HasMore);
        Assert.Equal([3L, 4, 5, 6], middle.Messages.Select(m => m.Seq));
        Assert.True(middle.HasMore);
        Assert.Equal([1L, 2], oldest!.Messages.Select(m => m.Seq));
        Assert.False(oldest.HasMore);
        Assert.Equal(5, newest.Session.Version);
    }

    [Fact]
    public async Task Should_say_no_more_when_the_page_holds_exactly_the_rest()
    {
        var store = await SharedDatabase.CreateStoreAsync();
        var key = await AppendManyAsync(store, new SessionKey(TestIds.Tenant(), TestIds.Session()), 2); // seq 1..4

        var all = await store.ReadHistoryAsync(key, 4, null, None);
        var beforeFirst = await store.ReadHistoryAsync(key, 4, 1, None);
        var single = await store.ReadHistoryAsync(key, 1, 2, None);

        Assert.Equal([1L, 2, 3, 4], all!.Messages.Select(m => m.Seq));
        Assert.False(all.HasMore);
        Assert.Empty(beforeFirst!.Messages);
        Assert.False(beforeFirst.HasMore);
        Assert.Equal([1L], single!.Messages.Select(m => m.Seq));
        Assert.False(single.HasMore);
    }

    [Fact]
    public async Task Should_cut_pages_and_windows_at_any_message_even_in_the_middle_of_a_turn()
    {
        // A turn is stored as one row of two messages (migration 0005): an odd limit or window, or a page that starts
        // after a user message, cuts a turn in half. Every cut of a five-turn session against the plain list.
        var store = await SharedDatabase.CreateStoreAsync();
        var key = await AppendManyAsync(store, new SessionKey(TestIds.Tenant(), TestIds.Session()), 5); // seq 1..10
        var all = Enumerable.Range(1, 10).Select(i => (long)i).ToList();

        foreach (long? before in new long?[] { null, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 })
        {
            foreach (var limit in Enumerable.Range(1, 11))
            {
                var page = await store.ReadHistoryAsync(key, limit, before, None);
                var older = all.Where(seq => seq < (before ?? long.MaxValue)).ToList();
                var expected = older.Skip(Math.Max(0, older.Count - limit)).ToList();
                Assert.True(expected.SequenceEqual(page!.Messages.Select(m => m.Seq)), $"before {before}, limit {limit}: {string.Join(",", page.Messages.Select(m => m.Seq))}");
                Assert.Equal(older.Count > limit, page.HasMore);
                Assert.All(page.Messages, m => Assert.Equal(m.Seq % 2 == 1 ? "user" : "assistant", m.Role));
                Assert.All(page.Messages, m => Assert.Equal($"{(m.Seq % 2 == 1 ? "user" : "assistant")} {(m.Seq + 1) / 2}", m.Content));
            }
        }
        foreach (var window in Enumerable.Range(1, 11))
        {
            var windowed = await SharedDatabase.CreateStoreAsync(new SessionStoreOptions { WindowSize = window });
            var loaded = await windowed.LoadAsync(key, None);
            Assert.Equal(all.Skip(Math.Max(0, 10 - window)), loaded!.RecentMessages.Select(m => m.Seq));
        }
    }

    [Fact]
    public async Task Should_return_null_history_for_an_unknown_session()
    {
        var store = await SharedDatabase.CreateStoreAsync();
        Assert.Null(await store.ReadHistoryAsync(new SessionKey(TestIds.Tenant(), TestIds.Session()), 10, null, None));
    }

    [Fact]
    public async Task Should_list_a_tenants_sessions_with_keyset_paging_and_status_filter()
    {
        var store = await SharedDatabase.CreateStoreAsync();
        var tenant = TestIds.Tenant();
        foreach (var id in new[] { "a", "b", "c", "d", "e" })
        {
            var completed = id is "b" or "d";
            await store.AppendTurnAsync(Turn(new SessionKey(tenant, id), 0,
                state: completed ? "completed" : "gathering_purpose", status: completed ? SessionStatus.Completed : SessionStatus.Active), None);
        }
        await store.AppendTurnAsync(Turn(new SessionKey(TestIds.Tenant(), "a"), 0), None); // another tenant

        var page1 = await store.ListSessionsAsync(tenant, null, null, 2, None);
        var page2 = await store.ListSessionsAsync(tenant, null, page1[^1].SessionId, 2, None);
        var page3 = await store.ListSessionsAsync(tenant, null, page2[^1].SessionId, 2, None);
        var completedOnly = await store.ListSessionsAsync(tenant, SessionStatus.Completed, null, 10, None);
        var skills = await store.ListCompletedSkillsAsync(tenant, 10, None);

        Assert.Equal(["a", "b"], page1.Select(s => s.SessionId));
        Assert.Equal(["c", "d"], page2.Select(s => s.SessionId));
        Assert.Equal(["e"], page3.Select(s => s.SessionId));
        Assert.Equal(["b", "d"], completedOnly.Select(s => s.SessionId));
        Assert.Equal(2, skills.Count);
        Assert.All(skills, s => Assert.Equal(new CompletedSkill("my-skill", "Does things", null, null), s));
    }
}

using Dapper;
using MassTransit;
using SkillForge.Harness;

namespace SkillForge.Bench;

/// <summary>The benchmark's input: expired sessions with prose messages, vacuumed and checkpointed like old data.</summary>
internal static partial class CleanupBenchmark
{
    /// <summary>What a stopped purge left of the seed (and the writers' sessions, which no later round reads).</summary>
    private static async Task ClearSeedAsync(ScratchDatabase database)
    {
        await using var connection = await database.Superuser.OpenConnectionAsync();
        await connection.ExecuteAsync("TRUNCATE sessions CASCADE");
    }

    private static async Task SeedExpiredAsync(ScratchDatabase database, int sessions, int perSession)
    {
        const int chunk = 10_000;
        var completedAt = DateTime.UtcNow.AddDays(-120);
        var prose = ProseSlices(length: 116);
        await using var connection = await database.Superuser.OpenConnectionAsync();
        for (var from = 0; from < sessions; from += chunk)
        {
            var to = Math.Min(sessions, from + chunk) - 1;
            await connection.ExecuteAsync("""
                INSERT INTO sessions (tenant_id, session_id, state, status, skill_name, context, version, message_count,
                                      created_at, updated_at, last_activity_at, completed_at)
                SELECT 'bench-' || (g % 100), 'expired-' || g, 'completed', 'completed', 'skill-' || g, '{"schema_version":1}',
                       @perSession / 2, @perSession, @at, @at, @at, @at
                  FROM generate_series(@from, @to) g;
                INSERT INTO turns (tenant_id, session_id, turn_no, turn_id, user_content, assistant_content, created_at)
                SELECT 'bench-' || (g % 100), 'expired-' || g, n, gen_random_uuid(),
                       (@prose::text[])[1 + (g * @perSession + 2 * n) % cardinality(@prose::text[])],
                       (@prose::text[])[1 + (g * @perSession + 2 * n + 1) % cardinality(@prose::text[])], @at
                  FROM generate_series(@from, @to) g, generate_series(1, @perSession / 2) n;
                """, new { from, to, perSession, at = completedAt, prose }, commandTimeout: 600);
        }
        // Vacuumed and checkpointed like data that has sat for 90 days, so neither autovacuum nor a checkpoint falls
        // into one phase of a round and not the other, and the purge pays what it pays in production: the first
        // change to each page after a checkpoint writes the whole page to WAL.
        await connection.ExecuteAsync("VACUUM (ANALYZE) sessions", commandTimeout: 600);
        await connection.ExecuteAsync("VACUUM (ANALYZE) turns", commandTimeout: 600);
        // The previous round's purge wrote 100,000 audit rows: enough to start an autovacuum in this round's baseline.
        await connection.ExecuteAsync("VACUUM (ANALYZE) session_audit", commandTimeout: 600);
        await database.CheckpointAsync();
    }

    /// <summary>
    /// Message texts cut from a fixed file of English prose (Seeds/prose.txt, once the README): prose compresses like a
    /// conversation does (~1.5× with lz4 a page, what <c>wal_compression</c> sees), where a repeated phrase would
    /// compress several-fold and flatter it. A file of its own, so that editing the README changes no benchmark's input.
    /// </summary>
    private static string[] ProseSlices(int length)
    {
        var text = string.Join(' ', File.ReadAllText(Path.Combine(RepositoryRoot.Path, "src", "SkillForge.Bench", "Seeds", "prose.txt")).Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
        // Side by side, not overlapping (a shared stretch would compress): the seed gives a page's rows consecutive slices.
        return Enumerable.Range(0, text.Length / length).Select(i => text.Substring(i * length, length)).ToArray();
    }
}

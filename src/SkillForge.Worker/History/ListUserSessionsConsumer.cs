using MassTransit;
using SkillForge.Contracts;
using SkillForge.Sessions.Storage;
using SkillForge.Worker.Hosting;

namespace SkillForge.Worker.History;

/// <summary>
/// Answers a page of one user's sessions from PostgreSQL. A public request, like history: the upstream service decides
/// who its user is, and the listing stays within the tenant it names.
/// </summary>
public sealed class ListUserSessionsConsumer(SessionStore store, SendDeadline sends) : IConsumer<ListUserSessions>
{
    public async Task Consume(ConsumeContext<ListUserSessions> context)
    {
        var request = context.Message;
        IReadOnlyList<SessionSummary> sessions;
        string? next;
        try
        {
            // A limit left out (0) means the default of 50; past the maximum, the maximum.
            var limit = request.Limit <= 0 ? 50 : Math.Min(request.Limit, SessionStore.MaxUserSessionsPage);
            (sessions, next) = await store.ListUserSessionsAsync(request.TenantId, request.UserId, request.Status, request.Cursor, limit, context.CancellationToken);
        }
        catch (InvalidSessionInputException)
        {
            // Ids that cannot exist, an unknown status or a cursor not issued here name no sessions: the answer is empty.
            (sessions, next) = ([], null);
        }
        await sends.WithinAsync(context.RespondAsync(new UserSessionList(request.TenantId ?? "", request.UserId ?? "",
            sessions.Select(s => new UserSessionSummary(s.SessionId, s.State, s.Status, s.SkillName, s.MessageCount, s.CreatedAt, s.LastActivityAt)).ToList(),
            next)), "a user's session list");
    }
}

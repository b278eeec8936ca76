using MassTransit;
using SkillForge.Contracts;
using SkillForge.Sessions.Storage;
using SkillForge.Worker.Hosting;

namespace SkillForge.Worker.History;

/// <summary>Answers a history page from PostgreSQL (the source of truth), or <see cref="SessionNotFound"/>.</summary>
public sealed class GetSessionHistoryConsumer(SessionStore store, SendDeadline sends) : IConsumer<GetSessionHistory>
{
    public async Task Consume(ConsumeContext<GetSessionHistory> context)
    {
        var request = context.Message;
        // A limit left out (0) or negative means the default of 100; past the maximum, the maximum.
        var limit = request.Limit <= 0 ? 100 : Math.Min(request.Limit, SessionStore.MaxHistoryPage);
        var beforeSeq = request.BeforeSeq is < 1 ? 1 : request.BeforeSeq;
        HistoryPage? page;
        try
        {
            page = await store.ReadHistoryAsync(new SessionKey(request.TenantId, request.SessionId), limit, beforeSeq, context.CancellationToken);
        }
        catch (InvalidSessionInputException)
        {
            // Ids that cannot exist name no session: the answer is the same as for an unknown one, and nothing is retried.
            page = null;
        }

        if (page is null)
        {
            await sends.WithinAsync(context.RespondAsync(new SessionNotFound(request.TenantId ?? "", request.SessionId ?? "")), "a history answer");
            return;
        }
        var session = page.Session;
        await sends.WithinAsync(context.RespondAsync(new SessionHistory(request.TenantId!, request.SessionId!, session.State, session.Status,
            session.Version, session.SkillName, session.CreatedAt, session.UpdatedAt,
            page.Messages.Select(m => new SessionMessage(m.Seq, m.Role, m.Content, m.CreatedAt)).ToList(), page.HasMore)
        {
            UserId = session.UserId,
        }), "a history answer");
    }
}

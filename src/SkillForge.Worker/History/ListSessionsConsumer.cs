using MassTransit;
using SkillForge.Contracts.Operations;
using SkillForge.Sessions.Storage;
using SkillForge.Worker.Hosting;
using SkillForge.Worker.Security;

namespace SkillForge.Worker.History;

/// <summary>
/// Answers an operator's page of a tenant's sessions from PostgreSQL, or says what is wrong with the request. Only
/// the operator may list: a listing names every session of a tenant, which no upstream service needs.
/// </summary>
public sealed class ListSessionsConsumer(SessionStore store, SenderCheck senders, SendDeadline sends) : IConsumer<ListSessions>
{
    public async Task Consume(ConsumeContext<ListSessions> context)
    {
        if (!await senders.AllowAsync(context, TrustedParties.Operator))
        {
            return;
        }
        var request = context.Message;
        IReadOnlyList<SessionSummary> sessions;
        try
        {
            sessions = await store.ListSessionsAsync(request.TenantId, request.Status, request.AfterSessionId, request.Limit, context.CancellationToken);
        }
        catch (InvalidSessionInputException e)
        {
            await sends.WithinAsync(context.RespondAsync(new ListSessionsRejected(request.TenantId ?? "", e.Code, e.Message)), "a listing answer");
            return;
        }
        // A full page may have more behind it; the next request then finds out (an empty page ends the listing).
        var next = sessions.Count == request.Limit ? sessions[^1].SessionId : null;
        await sends.WithinAsync(context.RespondAsync(new SessionList(request.TenantId, sessions
            .Select(s => new SessionListItem(s.SessionId, s.State, s.Status, s.SkillName, s.Version, s.MessageCount, s.LastActivityAt))
            .ToList(), next)), "a listing answer");
    }
}

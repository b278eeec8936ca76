using MassTransit;
using SkillForge.Agent.Context;
using SkillForge.Contracts;
using SkillForge.Sessions.Storage;
using SkillForge.Worker.Hosting;

namespace SkillForge.Worker.History;

/// <summary>
/// Answers everything held about a session besides its messages (a user's right of access), or
/// <see cref="SessionNotFound"/>. A public request, like history.
/// </summary>
public sealed class ExportSessionConsumer(SessionStore store, SendDeadline sends) : IConsumer<ExportSession>
{
    public async Task Consume(ConsumeContext<ExportSession> context)
    {
        var request = context.Message;
        SessionRecord? record;
        try
        {
            record = await store.ExportAsync(new SessionKey(request.TenantId, request.SessionId), context.CancellationToken);
        }
        catch (InvalidSessionInputException)
        {
            record = null; // ids that cannot exist name no session
        }
        if (record is null)
        {
            await sends.WithinAsync(context.RespondAsync(new SessionNotFound(request.TenantId ?? "", request.SessionId ?? "")), "an export answer");
            return;
        }
        await sends.WithinAsync(context.RespondAsync(new SessionExport(request.TenantId, request.SessionId, record.UserId, record.State,
            record.Status, record.SkillName, record.SkillDescription, SkillMdOf(record.ContextJson), record.ContextJson, record.MessageCount,
            record.CreatedAt, record.LastActivityAt, record.CompletedAt, record.AbandonedAt,
            record.Changes.Select(c => new SessionEvent(c.Kind, c.From, c.To, c.At)).ToList())), "an export answer");
    }

    /// <summary>The generated SKILL.md, read from the agent's context; none when the context has none or cannot be read.</summary>
    private static string? SkillMdOf(string contextJson)
    {
        try
        {
            return SkillContextSerializer.Deserialize(contextJson).GeneratedSkillMd;
        }
        catch (SkillContextFormatException)
        {
            return null; // the export still hands over the context document as stored
        }
    }
}

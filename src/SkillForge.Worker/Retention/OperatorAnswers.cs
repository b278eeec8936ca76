using MassTransit;
using SkillForge.Contracts.Operations;
using SkillForge.Sessions.Storage;
using SkillForge.Worker.Hosting;
using SkillForge.Worker.Security;

namespace SkillForge.Worker.Retention;

/// <summary>What the operator's retention and hold requests share: bad input is answered, and who acted is named with the broker user.</summary>
internal static class OperatorAnswers
{
    /// <summary>Responds with what <paramref name="act"/> returns, or with <see cref="OperatorRequestRejected"/> for bad input (nothing changed).</summary>
    public static async Task RespondAsync<TRequest, TAnswer>(ConsumeContext<TRequest> context, SendDeadline sends, string what, Func<Task<TAnswer>> act)
        where TRequest : class
        where TAnswer : class
    {
        TAnswer answer;
        try
        {
            answer = await act();
        }
        catch (InvalidSessionInputException e)
        {
            await sends.WithinAsync(context.RespondAsync(new OperatorRequestRejected(e.Code, e.Message)), what);
            return;
        }
        await sends.WithinAsync(context.RespondAsync(answer), what);
    }

    /// <summary>The person the request names, and the broker user that vouches for it: "alice (skillforge-operator)".</summary>
    public static string Actor(string? named, string? brokerUser)
    {
        SessionInputRules.ValidateOperatorText(named, 120, "The person acting");
        return $"{named} ({brokerUser ?? "unidentified"})";
    }
}

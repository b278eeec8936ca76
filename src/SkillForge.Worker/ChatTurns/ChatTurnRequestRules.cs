using SkillForge.Contracts;
using SkillForge.Sessions.Storage;

namespace SkillForge.Worker.ChatTurns;

/// <summary>What a turn must be before anything is read or written; a turn that is not gets an answer, not a fault.</summary>
internal static class ChatTurnRequestRules
{
    /// <summary>The rejection of a malformed turn, or null when it may go on.</summary>
    public static ChatTurnOutcome? Check(ProcessChatTurn turn, int maxTextLength)
    {
        try
        {
            SessionInputRules.ValidateKey(new SessionKey(turn.TenantId, turn.SessionId));
            SessionInputRules.ValidateText(turn.Text, maxTextLength);
            SessionInputRules.ValidateUserId(turn.UserId);
            if (turn.TurnId == Guid.Empty)
            {
                throw new InvalidSessionInputException(InvalidSessionInputException.InvalidRequest, "TurnId must be a non-empty GUID.");
            }
            return null;
        }
        catch (InvalidSessionInputException e)
        {
            return ChatTurnOutcome.Reject(turn, e.Code, e.Message);
        }
    }
}

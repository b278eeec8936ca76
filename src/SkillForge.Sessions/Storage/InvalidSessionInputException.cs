namespace SkillForge.Sessions.Storage;

/// <summary>
/// Input the store refuses before touching the database. <see cref="Code"/> is the wire code of
/// <c>ChatTurnRejected</c> (<c>invalid_request</c> or <c>too_large</c>); <see cref="Exception.Message"/> is for a person.
/// </summary>
public sealed class InvalidSessionInputException(string code, string reason) : ArgumentException(reason)
{
    public const string InvalidRequest = "invalid_request";
    public const string TooLarge = "too_large";

    public string Code { get; } = code;
}

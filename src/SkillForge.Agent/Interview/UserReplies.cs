using System.Text.RegularExpressions;

namespace SkillForge.Agent.Interview;

/// <summary>What kind of answer a short user message is: yes, no, "you decide", start over, or no request at all.</summary>
internal static partial class UserReplies
{
    private static readonly HashSet<string> GreetingWords = new(StringComparer.Ordinal)
    {
        "hi", "hello", "hey", "hiya", "howdy", "yo", "greetings", "morning", "afternoon", "evening", "good", "there", "thanks",
        "thank", "cheers", "sup", "whats", "going", "doing", "well", "fine", "great", "today", "everyone", "folks", "bot",
        "assistant", "agent", "hmm", "um", "uh", "so", "anyway", "hows", "nice", "meet",
    };

    public static bool IsAffirmative(string text)
    {
        var t = Normalize(text);
        return Affirmative().IsMatch(t) && !Reservation().IsMatch(t);
    }

    public static bool IsNegative(string text) => Negative().IsMatch(Normalize(text));

    /// <summary>"I don't know", "you decide", "skip": the user leaves the answer to the agent.</summary>
    public static bool IsUnsure(string text) => Unsure().IsMatch(Normalize(text));

    public static bool IsStartOver(string text)
    {
        var t = Normalize(text);
        return Words.Count(t) <= 10 && StartOver().IsMatch(t);
    }

    /// <summary>A message with nothing to work on: greetings and pleasantries only.</summary>
    public static bool IsSmallTalk(string text) =>
        Words.Tokens(text).All(w => Words.IsStopWord(w) && !IsCreationWord(w) || GreetingWords.Contains(w));

    /// <summary>Words that show the user wants a skill made, even before saying what it is for.</summary>
    public static bool MentionsSkillCreation(string text) => Words.Tokens(text).Any(IsCreationWord);

    /// <summary>Acknowledgements and pleasantries that carry no fact ("ok", "thanks!", "hi there").</summary>
    public static bool IsFiller(string sentence) =>
        Words.Tokens(sentence) is var words && words.Count <= 4 && words.All(w => GreetingWords.Contains(w) || FillerWords().IsMatch(w));

    private static bool IsCreationWord(string word) => word is "skill" or "skills" or "create" or "build" or "make" or "write" or "new";

    private static string Normalize(string text) => text.Trim().ToLowerInvariant().Replace('’', '\'');

    [GeneratedRegex(@"^(?:(?:yes|yep|yeah|yup|ya|sure|ok|okay|k|correct|right|exactly|perfect|great|fine|good|absolutely|definitely|certainly|indeed|confirm|confirmed|agree|agreed|lgtm|sgtm|y|cool|awesome|excellent|nice)\b|sounds? (?:good|great|right|fine|perfect)|looks? (?:good|great|right|fine|perfect)|that'?s (?:right|correct|it|fine|good|great|perfect)|that is (?:right|correct|it|fine)|go (?:ahead|for it)|do it|please do|ship it|save it|let'?s (?:go|do it)|all good|of course|make it so|works for me|use it|take it)", RegexOptions.CultureInvariant)]
    private static partial Regex Affirmative();

    [GeneratedRegex(@"\b(?:but|except|however|although|though|not|change|instead|rename|wrong)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Reservation();

    [GeneratedRegex(@"^(?:no|nope|nah|not (?:quite|really|yet|right|that)|wait|hold on|hang on|stop|don'?t|never ?mind|wrong|incorrect|change|actually|not)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Negative();

    [GeneratedRegex(@"(?:\b(?:i\s+)?(?:don'?t|do not|dont)\s+know\b|\bnot sure\b|\bno idea\b|\bunsure\b|\byou (?:decide|choose|pick|tell me)\b|\bup to you\b|\byour (?:call|choice)\b|\bwhatever you (?:think|like|want|suggest)\b|\bsuggest (?:one|something|some|it)\b|\bmake (?:one|something|some|it) up\b|\bsurprise me\b|\bno preference\b|\bdunno\b|\bidk\b|^skip\b|^pass\b|\bcan you (?:suggest|pick|choose|think of)\b|\b(?:any|your) suggestions?\b|\bfill (?:it|that|them) in\b|\bno clue\b)", RegexOptions.CultureInvariant)]
    private static partial Regex Unsure();

    [GeneratedRegex(@"^(?:(?:ok(?:ay)?|please|can we|could we|let'?s|let us|i(?:'d| would)? (?:like|want) to|i want to|i'd rather|just)[,\s]+)*(?:start (?:over|again|afresh|from scratch|fresh)|restart|reset|begin again|scrap (?:it|this|that|everything)|from scratch|start a new (?:skill|one))\b", RegexOptions.CultureInvariant)]
    private static partial Regex StartOver();

    [GeneratedRegex(@"^(?:ok|okay|yes|yeah|yep|sure|thanks|thank|you|great|cool|nice|perfect|awesome|alright|right|got|it|noted|fine|good|hmm|um|so|well|and|oh|ah|lol)$", RegexOptions.CultureInvariant)]
    private static partial Regex FillerWords();
}

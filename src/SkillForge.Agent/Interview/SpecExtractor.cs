using System.Text.RegularExpressions;
using SkillForge.Agent.Context;

namespace SkillForge.Agent.Interview;

/// <summary>
/// Reads spec facts out of what the user typed: labelled sentences ("Name it x", "Description: …", "Steps: a, b, c",
/// "Use it when …", "Example: …", "It should …"), a request for a skill ("a skill that …"), list lines after a label,
/// and bare answers to the question just asked (<paramref name="awaiting"/> in <see cref="Extract"/>).
/// </summary>
internal static partial class SpecExtractor
{
    private const string Capabilities = "capabilities";
    private const string ReferenceTopics = "reference_topics";
    private const string ScriptsNeeded = "scripts_needed";
    private const string AllowedTools = "allowed_tools";
    private const string Storage = "storage_layer";

    private sealed record Rule(Regex Pattern, string Field, bool Replaces = false);

    private static readonly Rule[] Rules =
    [
        new(NameRule(), SpecFields.Name),
        new(NameIsRule(), SpecFields.Name),
        new(CalledRule(), SpecFields.Name),
        new(RenameRule(), SpecFields.Name),
        new(DescriptionRule(), SpecFields.Description),
        new(PurposeRule(), SpecFields.Purpose),
        new(TriggerUseRule(), SpecFields.Triggers),
        new(TriggerShouldRule(), SpecFields.Triggers),
        new(TriggerLabelRule(), SpecFields.Triggers, Replaces: true),
        new(StepsLabelRule(), SpecFields.WorkflowSteps, Replaces: true),
        new(StepRule(), SpecFields.WorkflowSteps),
        new(FirstThenRule(), SpecFields.WorkflowSteps, Replaces: true),
        new(ExamplesLabelRule(), SpecFields.Examples),
        new(ForExampleRule(), SpecFields.Examples),
        new(UserMightSayRule(), SpecFields.Examples),
        new(ReferencesRule(), ReferenceTopics),
        new(ScriptsRule(), ScriptsNeeded),
        new(ToolsRule(), AllowedTools),
        new(StorageRule(), Storage),
        new(CapabilityRule(), Capabilities),
    ];

    /// <param name="text">The user's message.</param>
    /// <param name="awaiting">The <see cref="SpecFields"/> name the last question asked for, if any.</param>
    /// <param name="wantsPurpose">Whether a request ("a skill that …") or a bare sentence may still set the purpose.</param>
    public static ExtractedFacts Extract(string text, string? awaiting, bool wantsPurpose)
    {
        var facts = new ExtractedFacts();
        // "you decide", or a short "sounds good" to a question that came with a suggestion: the agent fills it in.
        if (awaiting is not null && (UserReplies.IsUnsure(text) || UserReplies.IsAffirmative(text) && Words.Count(text) <= 4))
        {
            facts.LeftToAgent.Add(awaiting);
            return facts;
        }
        string? continuing = null;
        foreach (var (raw, isListItem) in Sentences.Split(text))
        {
            var sentence = LeadIn().Replace(raw, "").Trim();
            if (sentence.Length == 0 || UserReplies.IsFiller(raw))
            {
                continue;
            }
            if (isListItem && (continuing ?? awaiting) is { } listField && facts.ListFor(listField) is { } list)
            {
                list.Add(CleanItem(sentence, keepQuestionMark: listField == SpecFields.Examples));
                continue;
            }
            if (TryRules(sentence, facts, ref wantsPurpose) is { } field)
            {
                continuing = field is SpecFields.Description or SpecFields.WorkflowSteps or SpecFields.Triggers or SpecFields.Examples ? field : null;
                continue;
            }
            if (wantsPurpose && TryRequest(sentence, facts))
            {
                wantsPurpose = false;
                continue;
            }
            var target = continuing ?? awaiting ?? (wantsPurpose && Words.ContentWords(sentence).Count >= 2 ? SpecFields.Purpose : null);
            if (target is null)
            {
                if (Words.ContentWords(sentence).Count >= 2 && !sentence.EndsWith('?'))
                {
                    facts.Unplaced.Add(CleanItem(sentence, keepQuestionMark: false));
                }
                continue;
            }
            Place(facts, target, sentence, continuation: target == continuing);
            wantsPurpose &= target != SpecFields.Purpose;
            continuing = target is SpecFields.Description ? target : continuing;
        }
        return facts;
    }

    private static string? TryRules(string sentence, ExtractedFacts facts, ref bool wantsPurpose)
    {
        foreach (var rule in Rules)
        {
            var match = rule.Pattern.Match(sentence);
            if (!match.Success)
            {
                continue;
            }
            var value = match.Groups["v"].Value;
            if (rule.Field == Capabilities && wantsPurpose)
            {
                facts.Purpose = CleanItem(value, keepQuestionMark: false);
                wantsPurpose = false;
                return SpecFields.Purpose;
            }
            if (rule.Replaces)
            {
                facts.Replaced.Add(rule.Field);
            }
            Place(facts, rule.Field, rule.Field == Capabilities ? sentence : value, continuation: false);
            wantsPurpose &= rule.Field != SpecFields.Purpose;
            return rule.Field;
        }
        return null;
    }

    /// <summary>"I'd like a skill (called x) that summarises pull requests" → purpose (and name).</summary>
    private static bool TryRequest(string sentence, ExtractedFacts facts)
    {
        var called = InlineName().Match(sentence);
        if (called.Success)
        {
            facts.SetName(called.Groups["name"].Value);
            sentence = sentence.Remove(called.Index, called.Length);
        }
        var request = SkillThatRule().Match(sentence);
        if (!request.Success)
        {
            request = WantToRule().Match(sentence);
            if (request.Success && CreationOnly().IsMatch(request.Groups["v"].Value))
            {
                return called.Success;
            }
        }
        if (!request.Success)
        {
            return called.Success;
        }
        var purpose = CleanItem(request.Groups["v"].Value, keepQuestionMark: false);
        if (Words.ContentWords(purpose).Count == 0)
        {
            return called.Success;
        }
        facts.Purpose = purpose;
        return true;
    }

    private static void Place(ExtractedFacts facts, string field, string value, bool continuation)
    {
        switch (field)
        {
            case SpecFields.Name:
                var name = CleanName(value);
                if (UserReplies.IsUnsure(name))
                {
                    facts.LeftToAgent.Add(SpecFields.Name);
                }
                else if (Words.Count(name) <= 6)
                {
                    facts.SetName(name);
                }
                break;
            case SpecFields.Description:
                var description = Capitalize(CleanItem(value, keepQuestionMark: true));
                description = continuation && facts.Description is { } before ? $"{before.TrimEnd('.')}. {description}" : description;
                // A description is a sentence (or two) an agent reads; end it like one.
                facts.Description = description.Length == 0 || description[^1] is '.' or '!' or '?' ? description : description + ".";
                break;
            case SpecFields.Purpose:
                facts.Purpose = CleanItem(PurposeLead().Replace(value, ""), keepQuestionMark: false);
                break;
            case SpecFields.WorkflowSteps:
                facts.WorkflowSteps.AddRange(ListSplitting.Steps(value));
                break;
            case SpecFields.Triggers:
                facts.Triggers.AddRange(ListSplitting.Triggers(value));
                break;
            case SpecFields.Examples:
                facts.Examples.AddRange(ListSplitting.Examples(value));
                break;
            case ReferenceTopics:
                facts.ReferenceTopics.AddRange(ListSplitting.Items(value));
                break;
            case ScriptsNeeded:
                facts.ScriptsNeeded.AddRange(ListSplitting.Items(value));
                break;
            case AllowedTools:
                facts.AllowedTools.AddRange(ListSplitting.Items(value));
                break;
            case Storage:
                facts.StorageLayer = StorageLayers.Find(value) ?? facts.StorageLayer;
                break;
            default:
                facts.Capabilities.Add(CleanItem(value, keepQuestionMark: false));
                break;
        }
    }

    internal static string CleanItem(string value, bool keepQuestionMark)
    {
        var v = value.Trim().TrimEnd(keepQuestionMark ? ['.', ';', ',', ':'] : ['.', ';', ',', ':', '!', '?']).Trim();
        if (v.Length >= 2 && (v[0], v[^1]) is ('"', '"') or ('\'', '\'') or ('`', '`') or ('“', '”') or ('‘', '’'))
        {
            v = v[1..^1].Trim();
        }
        return v;
    }

    private static string CleanName(string value)
    {
        // A name is a few words; looking at more only costs time (the tail patterns below scan to the end).
        var v = CleanItem(value.Length > 200 ? value[..200] : value, keepQuestionMark: false);
        v = NameTail().Replace(v, "");
        return NameFiller().Replace(v, "").Trim(' ', '"', '\'', '`', '“', '”');
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    // Conjunctions start a fact directly ("and call it x"); interjections only when punctuated ("Sure, call it x"), so
    // "Great for reviewers" keeps its first word.
    [GeneratedRegex(@"^(?:(?:(?:and|also|so|then|plus|please|oh and|one more thing)\b[,:]?|(?:ok|okay|yes|yeah|yep|sure|great|perfect|cool|nice|alright|right|hmm|um|no|nope|actually|well|oh)[,!.:])\s*)+", Options)]
    private static partial Regex LeadIn();
    [GeneratedRegex(@"^(?:let'?s\s+|we(?:'ll| will| can| could| should)?\s+|i(?:'d| would)?\s+(?:like to|want to)\s+|you can\s+|please\s+|just\s+)?(?:name|call)\s+it\s+(?<v>.+)$", Options)]
    private static partial Regex NameRule();
    [GeneratedRegex(@"^(?:the\s+|its\s+|it's\s+)?(?:skill(?:'s)?\s+)?name\s*(?::|=|\s+(?:is|should be|will be|could be)\b:?)\s*(?<v>.+)$", Options)]
    private static partial Regex NameIsRule();
    [GeneratedRegex(@"^(?:it(?:'s|\s+is|\s+should\s+be|\s+will\s+be)\s+)?(?:called|named)\s+(?<v>.+)$", Options)]
    private static partial Regex CalledRule();
    [GeneratedRegex(@"^(?:rename\s+it|change\s+the\s+name|set\s+the\s+name|update\s+the\s+name)\s+to\s+(?<v>.+)$", Options)]
    private static partial Regex RenameRule();
    [GeneratedRegex(@"^(?:(?:the|its|a)\s+)?(?:(?:short|one-line)\s+)?description\s*(?::|=|\s+(?:is|should be|will be|could be)\b:?)\s*(?<v>.+)$|^describe\s+it\s+as\s+(?<v>.+)$|^(?:change|set|update)\s+the\s+description\s+to\s+(?<v>.+)$", Options)]
    private static partial Regex DescriptionRule();
    [GeneratedRegex(@"^(?:the\s+|its\s+)?(?:purpose|goal|aim|job)(?:\s+of\s+(?:it|the skill))?\s*(?::|=|\s+is\b:?)\s*(?<v>.+)$", Options)]
    private static partial Regex PurposeRule();
    [GeneratedRegex(@"^(?:(?:you|agents?|claude)\s+should\s+)?(?:use|invoke|trigger|run|activate|call|load|pick)\s+(?:it|this|the skill|this skill)(?:\s+up)?\s+(?:when(?:ever)?|if|for|on)\s+(?<v>.+)$", Options)]
    private static partial Regex TriggerUseRule();
    [GeneratedRegex(@"^(?:(?:it|the skill|this skill)\s+)?(?:(?:should|must|will|can)\s+(?:be\s+)?(?:used|triggered|invoked|run|activated|loaded|kick in|trigger|fire|apply)|kicks in|applies|is for|is useful)\s+(?:when(?:ever)?|if|for|on)\s+(?<v>.+)$", Options)]
    private static partial Regex TriggerShouldRule();
    [GeneratedRegex(@"^(?:the\s+)?(?:triggers?|when to use(?:\s+it)?|use cases?|use when)\s*(?::|=|\s+(?:are|is)\b:?)\s*(?<v>.+)$", Options)]
    private static partial Regex TriggerLabelRule();
    [GeneratedRegex(@"^(?:the\s+)?(?:workflow(?:\s+steps)?|steps|process|procedure)\s*(?::|=|\s+(?:are|is|would be|should be)\b:?)\s*(?<v>.*)$", Options)]
    private static partial Regex StepsLabelRule();
    [GeneratedRegex(@"^(?:another\s+|one\s+more\s+|a\s+)?step\s*\d*\s*(?::|=|\s+is\b:?)\s*(?<v>.+)$", Options)]
    private static partial Regex StepRule();
    [GeneratedRegex(@"^(?<v>first(?:ly)?[,:]?\s+.+\bthen\b.+)$", Options)]
    private static partial Regex FirstThenRule();
    [GeneratedRegex(@"^(?:(?:an?|another|one|some|my|the)\s+)?examples?(?:\s+(?:request|prompt|message)s?)?\s*(?::|=|\s+(?:is|are|would be|could be|might be)\b:?)\s*(?<v>.*)$", Options)]
    private static partial Regex ExamplesLabelRule();
    [GeneratedRegex(@"^(?:for example|for instance|e\.g\.?|eg)[,:]?\s+(?<v>.+)$", Options)]
    private static partial Regex ForExampleRule();
    [GeneratedRegex(@"^(?:a\s+)?(?:user|someone|somebody|people|they|you|i)\s+(?:might|could|would|may|will|can|often)\s+(?:say|ask|type|write|send)\s*(?:something like\s*)?[:,]?\s*(?<v>.+)$", Options)]
    private static partial Regex UserMightSayRule();
    [GeneratedRegex(@"^(?:references?|reference topics?|reference docs?|docs|documentation)\s*[:=]\s*(?<v>.+)$|^it\s+should\s+know\s+about\s+(?<v>.+)$", Options)]
    private static partial Regex ReferencesRule();
    [GeneratedRegex(@"^scripts?(?:\s+needed)?\s*[:=]\s*(?<v>.+)$|^it\s+(?:needs|will need)\s+(?:a\s+)?scripts?\s+(?:to|for|that)\s+(?<v>.+)$", Options)]
    private static partial Regex ScriptsRule();
    [GeneratedRegex(@"^(?:allowed\s+)?tools\s*[:=]\s*(?<v>.+)$|^it\s+(?:may|is allowed to)\s+use\s+(?<v>.+)$", Options)]
    private static partial Regex ToolsRule();
    [GeneratedRegex(@"^(?:save|store|put|keep|publish)\s+it\s+(?:in|to|as|under|at|for)\s+(?<v>.+)$", Options)]
    private static partial Regex StorageRule();
    [GeneratedRegex(@"^(?:it|the skill|this skill)\s+(?:also\s+)?(?:should|must|can|will|needs to|has to|ought to|is able to)\s+(?:also\s+)?(?<v>.+)$", Options)]
    private static partial Regex CapabilityRule();
    [GeneratedRegex(@"\b(?:called|named)\s+[""'`“]?(?<name>[A-Za-z][A-Za-z0-9_-]*)[""'`”]?", Options)]
    private static partial Regex InlineName();
    [GeneratedRegex(@"\b(?:skill|agent|assistant|tool|bot|helper|something|one|workflow)\s+(?:that|which|who|to|for|so it)\s+(?:(?:can|could|will|would|should|helps?(?:\s+(?:me|us|people|users|the team))?(?:\s+to)?|lets?\s+(?:me|us))\s+)?(?<v>.+)$", Options)]
    private static partial Regex SkillThatRule();
    [GeneratedRegex(@"^(?:i\s+(?:want|need|would like|'d like)|we\s+(?:want|need|would like|'d like)|i'?m\s+(?:trying|looking)|(?:please\s+|can you\s+|could you\s+)?help (?:me|us))\s+(?:to\s+)?(?<v>.+)$", Options)]
    private static partial Regex WantToRule();
    [GeneratedRegex(@"^(?:(?:create|make|build|write|set up|design|add|have|get)\s+(?:me\s+|us\s+)?)?(?:a|an|the|some)?\s*(?:new\s+)?(?:skill|agent|assistant|tool|bot)s?\b", Options)]
    private static partial Regex CreationOnly();
    [GeneratedRegex(@"^(?:to\s+|helps?\s+(?:me\s+|us\s+)?(?:to\s+)?)", Options)]
    private static partial Regex PurposeLead();
    [GeneratedRegex(@"(?:\s*[,;(].*|\s+(?:because|since|so that|and then|but|which|as it)\s.*|\s+please)$", Options)]
    private static partial Regex NameTail();
    [GeneratedRegex(@"^(?:(?:something like|something|maybe|perhaps|probably|just|simply|the|a|an|how about|what about|let'?s go with|go with|i think|i'd say|call it|it's|it is)\s+)+", Options)]
    private static partial Regex NameFiller();
}

using System.Globalization;
using System.Text;
using SkillForge.Agent.Context;

namespace SkillForge.Agent.Interview;

/// <summary>
/// The agent's voice, in one place: friendly, specific, quoting back what it understood. Deterministic — the same
/// context and message always give the same words — so transcripts can be tested.
/// </summary>
internal static class AgentReplies
{
    public const string Welcome = "Hi! I help you write agent skills: a SKILL.md that tells an agent when to use a skill and how to do the job.";

    public static string Join(params string?[] parts) =>
        string.Join(' ', parts.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p!.Trim()));

    public static string Paragraphs(params string?[] parts) =>
        string.Join("\n\n", parts.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p!.Trim()));

    /// <summary>One short sentence per thing the message added or changed.</summary>
    public static string Acknowledge(SkillContext before, SkillContext after)
    {
        var notes = new List<string>();
        if (after.Purpose != before.Purpose && after.Purpose is { } purpose)
        {
            notes.Add($"{Pick(after, "Nice", "Great idea", "Love it")} — {PurposePhrase.AsSkill(purpose)}.");
        }
        if (after.SkillName != before.SkillName && after.SkillName is { } name)
        {
            notes.Add(before.SkillName is null ? $"`{name}` it is." : $"Renamed to `{name}`.");
        }
        if (after.Description != before.Description && after.Description is { } description)
        {
            notes.Add($"{Pick(after, "Good description", "Clear description", "Nicely put")}: {Quote(Shorten(description, 160))}");
        }
        if (!after.WorkflowSteps.SequenceEqual(before.WorkflowSteps) && after.WorkflowSteps.Count > 0)
        {
            notes.Add($"{Count(after.WorkflowSteps.Count, "step")}: {string.Join(" → ", after.WorkflowSteps.Select(s => Shorten(s, 60)))}.");
        }
        if (!after.Triggers.SequenceEqual(before.Triggers) && after.Triggers.Count > 0)
        {
            notes.Add($"It will kick in {string.Join("; or ", after.Triggers.Select(t => TriggerClauses.AsClause(Shorten(t, 80))))}.");
        }
        if (!after.Examples.SequenceEqual(before.Examples) && after.Examples.Count > 0)
        {
            var added = after.Examples.Except(before.Examples).ToList();
            notes.Add(added.Count == 1 ? $"Nice example: {Quote(Shorten(added[0], 80))}" : $"{Count(after.Examples.Count, "example")} noted.");
        }
        var extras = new[]
        {
            (after.Capabilities, before.Capabilities, "detail"),
            (after.AllowedTools, before.AllowedTools, "tool"),
            (after.ReferenceTopics, before.ReferenceTopics, "reference topic"),
            (after.ScriptsNeeded, before.ScriptsNeeded, "script"),
        };
        foreach (var (now, was, label) in extras)
        {
            var added = now.Except(was).ToList();
            if (added.Count > 0)
            {
                notes.Add($"Noted {(added.Count == 1 ? $"the {label}" : $"{added.Count} {label}s")}: {string.Join("; ", added.Select(a => Shorten(a, 60)))}.");
            }
        }
        return string.Join(' ', notes);
    }

    public static string Summary(SkillContext c)
    {
        var s = new StringBuilder("Here's the skill as I understand it:\n\n");
        s.Append("- **Name:** `").Append(c.SkillName).Append('`').Append(Guess(c, SpecFields.Name)).Append('\n');
        s.Append("- **Description:** ").Append(c.Description).Append(Guess(c, SpecFields.Description)).Append('\n');
        s.Append("- **Purpose:** ").Append(c.Purpose).Append(Guess(c, SpecFields.Purpose)).Append('\n');
        s.Append("- **When to use:** ").Append(string.Join("; ", c.Triggers.Select(TriggerClauses.AsClause))).Append(Guess(c, SpecFields.Triggers)).Append('\n');
        s.Append("- **Workflow:** ").Append(string.Join(" ", c.WorkflowSteps.Select((w, i) => $"{i + 1}. {w}"))).Append(Guess(c, SpecFields.WorkflowSteps)).Append('\n');
        s.Append("- **Examples:** ").Append(string.Join("; ", c.Examples.Select(e => $"\"{e}\""))).Append(Guess(c, SpecFields.Examples)).Append('\n');
        AppendList(s, "Also", c.Capabilities);
        AppendList(s, "Tools", c.AllowedTools);
        AppendList(s, "Reference topics", c.ReferenceTopics);
        AppendList(s, "Scripts", c.ScriptsNeeded);
        if (c.InferredFields.Count > 0)
        {
            s.Append("\nThe parts marked *(my suggestion)* are my guesses — change anything that's off.\n");
        }
        return s.Append("\nShall I write the SKILL.md? Say **yes**, or tell me what to change (e.g. \"Name it …\" or \"Steps: …\").").ToString();
    }

    public static string ExistingOffer(ExistingSkill skill) =>
        $"Before we start: your workspace already has a skill that sounds close — **{skill.Name}**: \"{Shorten(skill.Description, 200)}\". "
        + "Would you like to use that one, or shall we build a new skill? Say **use it** or **new**.";

    public static string ExistingUnclear(ExistingSkill? skill) =>
        $"Just to be sure: should I point you to **{skill?.Name ?? "the existing skill"}** (say **use it**), or build a new one (say **new**)?";

    public static string TookExisting(SkillContext c) =>
        $"Great — **{c.SkillName}** is ready to use as it is, so there's nothing new to write. "
        + "This conversation is complete; start a new session whenever you want to build another skill.";

    public static string Ready(SkillContext c, IReadOnlyList<string> fixes)
    {
        var layer = c.StorageLayer ?? StorageLayers.Organization;
        var others = string.Join(" or ", StorageLayers.All.Where(l => l != layer).Select(l => $"**{l}**"));
        return Paragraphs(
            fixes.Count > 0 ? $"I tidied a few things so it validates: {string.Join("; ", fixes)}." : null,
            $"Here's your SKILL.md for `{c.SkillName}`:",
            $"```markdown\n{c.GeneratedSkillMd?.TrimEnd()}\n```",
            "It passes validation: frontmatter, name, description, all four sections and the size limits.",
            $"Where should I save it? I'd put it in the **{layer}** layer ({StorageLayers.Describe(layer)}); say {others} if you'd rather. "
            + $"Shall I save it to **{layer}**?");
    }

    public static string Failed(SkillContext c)
    {
        var errors = string.Join("\n", c.ValidationErrors.Select(e => "- " + e));
        var ask = c.ValidationErrors.Any(e => e.Contains("name", StringComparison.OrdinalIgnoreCase)) ? "What should the skill be called?"
            : c.ValidationErrors.Any(e => e.Contains("description", StringComparison.OrdinalIgnoreCase)) ? "Could you give me a shorter, one-line description?"
            : c.ValidationErrors.Any(e => e.Contains("section", StringComparison.OrdinalIgnoreCase)) ? "Could you tell me a bit more about what it does, when to use it and its steps?"
            : "Could you shorten what we have so it fits?";
        return Paragraphs(
            string.Create(CultureInfo.InvariantCulture, $"I'm sorry — I couldn't produce a SKILL.md that passes validation after {c.ValidationAttempts - 1} attempts to fix it:"),
            errors,
            $"{ask} Or say **start over** to begin again.");
    }

    public static string Saved(SkillContext c) =>
        $"All set! `{c.SkillName}` is saved in the **{c.StorageLayer}** layer, so {StorageLayers.Describe(c.StorageLayer ?? "")}"
        + (c.Triggers.Count > 0 ? $" and agents will pick it up {TriggerClauses.AsClause(c.Triggers[0])}." : ".")
        + " This conversation is complete — start a new session whenever you'd like to build another skill.";

    public static string StartedOver => "Sure — let's start fresh; I've cleared everything. " + InterviewQuestions.Intent;

    public static string AlreadyCompleted(SkillContext c) =>
        $"This conversation is already complete{(c.SkillName is { } n ? $": `{n}` is done" : "")}. Start a new session to build another skill.";

    /// <summary>A quoted sentence that ends the sentence around it: "…?" stays, otherwise a full stop follows.</summary>
    public static string Quote(string text) => $"\"{text}\"" + (text.EndsWith('?') || text.EndsWith('!') || text.EndsWith('.') ? "" : ".");

    public static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)].TrimEnd() + "…";

    private static string Guess(SkillContext c, string field) => c.InferredFields.Contains(field) ? " *(my suggestion)*" : "";

    private static void AppendList(StringBuilder s, string label, IReadOnlyList<string> items)
    {
        if (items.Count > 0)
        {
            s.Append("- **").Append(label).Append(":** ").Append(string.Join("; ", items)).Append('\n');
        }
    }

    private static string Count(int n, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{(n is >= 1 and <= 5 ? new[] { "One", "Two", "Three", "Four", "Five" }[n - 1] : n.ToString(CultureInfo.InvariantCulture))} {noun}{(n == 1 ? "" : "s")}");

    private static string Pick(SkillContext c, params string[] options) => options[c.AskedQuestions.Count % options.Length];
}

namespace SkillForge.Agent.Tests.Llm;

/// <summary>Model answers in the JSON shape the system prompt asks for.</summary>
internal static class LlmAnswers
{
    public const string AllFacts = """
        {"reply": "Love it — a PR digest for reviewers. I have everything; please confirm the summary below.",
         "next_state": "confirming_spec", "question": "Does this look right?",
         "fields": {"skill_name": "PR Digest", "description": "Summarises a pull request into a short digest for reviewers.",
                    "purpose": "summarise pull requests for reviewers", "workflow_steps": ["Fetch the diff", "Write the digest"],
                    "triggers": ["when someone asks what a PR changes"], "examples": ["What does PR #42 change?"]}}
        """;

    public const string Generate = """{"reply": "Great, writing it now.", "next_state": "generating", "question": null, "fields": {}}""";

    public const string Save = """{"reply": "Saved to your personal layer!", "next_state": "saving", "fields": {"storage_layer": "personal"}}""";

    public const string AskName = """
        ```json
        {"reply": "Nice idea! What should we call it?", "next_state": "gathering_details", "question": "What should we call it?",
         "fields": {"purpose": "summarise pull requests"}}
        ```
        """;

    public static string Suggesting(string state) =>
        $$"""{"reply": "Let's move on.", "next_state": "{{state}}", "question": null, "fields": null}""";
}

using System.Reflection;
using SkillForge.Contracts;
using SkillForge.Contracts.Operations;
using SkillForge.Contracts.Queues;

namespace SkillForge.Contracts.Tests;

/// <summary>
/// The contract assembly exactly: names, order, types and nullability of every field of the upstream messages, the
/// operator messages beside them, and the queue names. Upstream services and operator tools compile against it; a
/// change here is a breaking change.
/// </summary>
public sealed class WireContractTests
{
    public static TheoryData<Type, string> Messages => new()
    {
        { typeof(ProcessChatTurn), "string TenantId, string SessionId, Guid TurnId, string Text, string? UserId, DateTimeOffset SentAt" },
        { typeof(ChatTurnReplied), "string TenantId, string SessionId, Guid TurnId, string Reply, string State, string Status, long Version, int MessageCount, bool Resumed, bool Replayed" },
        { typeof(ChatTurnRejected), "string TenantId, string SessionId, Guid TurnId, string Code, string Reason" },
        { typeof(GetSessionHistory), "string TenantId, string SessionId, int Limit, long? BeforeSeq" },
        { typeof(SessionHistory), "string TenantId, string SessionId, string State, string Status, long Version, string? SkillName, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, IReadOnlyList<SessionMessage> Messages, bool HasMore" },
        { typeof(SessionMessage), "long Seq, string Role, string Content, DateTimeOffset CreatedAt" },
        { typeof(SessionNotFound), "string TenantId, string SessionId" },
        { typeof(EraseSession), "string TenantId, string SessionId, string? Reason" },
        { typeof(SessionErased), "string TenantId, string SessionId, bool Existed, int MessagesDeleted" },
        { typeof(CleanupSessions), "DateTimeOffset? AsOf, bool DryRun" },
        { typeof(SessionsCleanedUp), "DateTimeOffset AsOf, bool DryRun, int MarkedAbandoned, int DeletedSessions, long DeletedMessages, TimeSpan Duration" },
        { typeof(ListUserSessions), "string TenantId, string UserId, string? Status, string? Cursor, int Limit" },
        { typeof(UserSessionList), "string TenantId, string UserId, IReadOnlyList<UserSessionSummary> Sessions, string? NextCursor" },
        { typeof(UserSessionSummary), "string SessionId, string State, string Status, string? SkillName, int MessageCount, DateTimeOffset CreatedAt, DateTimeOffset LastActivityAt" },
        { typeof(ExportSession), "string TenantId, string SessionId" },
        { typeof(SessionExport), "string TenantId, string SessionId, string? UserId, string State, string Status, string? SkillName, string? SkillDescription, string? SkillMd, string Context, int MessageCount, DateTimeOffset CreatedAt, DateTimeOffset LastActivityAt, DateTimeOffset? CompletedAt, DateTimeOffset? AbandonedAt, IReadOnlyList<SessionEvent> Events" },
        { typeof(SessionEvent), "string Kind, string? From, string? To, DateTimeOffset At" },
        { typeof(EraseUser), "string TenantId, string UserId, string? Reason" },
        { typeof(UserErased), "string TenantId, string UserId, int SessionsErased, long MessagesDeleted" },
        { typeof(ErasureRefused), "string TenantId, string? SessionId, string? UserId, string Code, string Reason" },
    };

    /// <summary>Fields added after a message shipped: optional properties, so neither old senders nor old readers break.</summary>
    public static TheoryData<Type, string> AddedFields => new()
    {
        { typeof(SessionHistory), "string? UserId" },
        { typeof(SessionErased), "int CopiesDeleted" },
        { typeof(SessionsCleanedUp), "int KeptByHold" },
        { typeof(UserErased), "int CopiesDeleted" },
    };

    [Theory]
    [MemberData(nameof(AddedFields))]
    public void Should_keep_the_fields_added_since_as_optional_properties(Type message, string fields)
    {
        var nullability = new NullabilityInfoContext();
        var constructorNames = Assert.Single(message.GetConstructors(), c => c.GetParameters().Length > 0 && !IsCopyConstructor(c, message))
            .GetParameters().Select(p => p.Name).ToHashSet();
        var added = message.GetProperties().Where(p => !constructorNames.Contains(p.Name) && p.Name != "EqualityContract");

        Assert.Equal(fields, string.Join(", ", added.Select(p => $"{Describe(p.PropertyType, nullability.Create(p))} {p.Name}")));
    }

    public static TheoryData<Type, string> OperatorMessages => new()
    {
        { typeof(ListSessions), "string TenantId, string? Status, string? AfterSessionId, int Limit" },
        { typeof(SessionList), "string TenantId, IReadOnlyList<SessionListItem> Sessions, string? NextAfter" },
        { typeof(SessionListItem), "string SessionId, string State, string Status, string? SkillName, long Version, int MessageCount, DateTimeOffset LastActivityAt" },
        { typeof(ListSessionsRejected), "string TenantId, string Code, string Reason" },
        { typeof(CleanupRefused), "DateTimeOffset AsOf, bool DryRun, string Code, string Reason" },
        { typeof(PlaceLegalHold), "string TenantId, string? SessionId, string? UserId, string Reason, string PlacedBy" },
        { typeof(ReleaseLegalHold), "string TenantId, string? SessionId, string? UserId, string ReleasedBy" },
        { typeof(ListLegalHolds), "string? TenantId, bool IncludeReleased" },
        { typeof(LegalHoldInfo), "long Id, string TenantId, string? SessionId, string? UserId, string Reason, string PlacedBy, DateTimeOffset PlacedAt, string? ReleasedBy, DateTimeOffset? ReleasedAt" },
        { typeof(LegalHoldPlaced), "LegalHoldInfo Hold, bool PlacedNow" },
        { typeof(LegalHoldReleased), "string TenantId, LegalHoldInfo? Hold" },
        { typeof(LegalHoldList), "IReadOnlyList<LegalHoldInfo> Holds" },
        { typeof(SetTenantRetention), "string TenantId, TimeSpan? AbandonAfterIdle, TimeSpan? DeleteCompletedAfter, TimeSpan? DeleteAbandonedAfter, TimeSpan? DeleteAuditAfter, string ChangedBy" },
        { typeof(ClearTenantRetention), "string TenantId, string ChangedBy" },
        { typeof(GetTenantRetention), "string TenantId" },
        { typeof(TenantRetentionShown), "string TenantId, TimeSpan AbandonAfterIdle, TimeSpan DeleteCompletedAfter, TimeSpan DeleteAbandonedAfter, TimeSpan DeleteAuditAfter, bool Custom, string? ChangedBy, DateTimeOffset? ChangedAt" },
        { typeof(OperatorRequestRejected), "string Code, string Reason" },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Should_match_the_design_field_for_field(Type message, string fields) =>
        AssertRecord(message, fields, "SkillForge.Contracts");

    [Theory]
    [MemberData(nameof(OperatorMessages))]
    public void Should_keep_the_operator_messages_field_for_field(Type message, string fields) =>
        AssertRecord(message, fields, "SkillForge.Contracts.Operations");

    [Fact]
    public void Should_keep_the_queue_names_operators_know()
    {
        Assert.Equal(
            ["skillforge-chat-turns", "skillforge-session-history", "skillforge-session-erasure", "skillforge-user-sessions", "skillforge-session-export", "skillforge-cleanup", "skillforge-operations"],
            new[] { SkillForgeQueues.ChatTurns, SkillForgeQueues.SessionHistory, SkillForgeQueues.SessionErasure, SkillForgeQueues.UserSessions, SkillForgeQueues.SessionExport, SkillForgeQueues.Cleanup, SkillForgeQueues.Operations });
        Assert.Equal(new Uri("exchange:skillforge-chat-turns.in"), SkillForgeQueues.Address(SkillForgeQueues.ChatTurns));
    }

    private static void AssertRecord(Type message, string fields, string expectedNamespace)
    {
        var constructor = Assert.Single(message.GetConstructors(), c => c.GetParameters().Length > 0 && !IsCopyConstructor(c, message));
        var nullability = new NullabilityInfoContext();
        var actual = string.Join(", ", constructor.GetParameters().Select(p => $"{Describe(p.ParameterType, nullability.Create(p))} {p.Name}"));

        Assert.Equal(fields, actual);
        Assert.True(message.IsSealed, $"{message.Name} is sealed");
        Assert.NotNull(message.GetMethod("<Clone>$")); // a record
        Assert.Equal(expectedNamespace, message.Namespace);
    }

    [Fact]
    public void Should_hold_nothing_but_the_messages_and_the_queue_names()
    {
        var types = typeof(ProcessChatTurn).Assembly.GetExportedTypes().Select(t => t.FullName!).Order();
        var expected = Messages.Concat(OperatorMessages).Select(row => ((Type)row[0]).FullName!).Append(typeof(SkillForgeQueues).FullName!);
        Assert.Equal(expected.Order(), types);
    }

    [Fact]
    public void Should_depend_on_nothing_but_the_runtime()
    {
        var references = typeof(ProcessChatTurn).Assembly.GetReferencedAssemblies().Select(a => a.Name!);
        Assert.All(references, name => Assert.True(name.StartsWith("System", StringComparison.Ordinal), name));
    }

    [Fact]
    public void Should_default_history_paging_to_a_hundred_from_the_end()
    {
        var request = new GetSessionHistory("t", "s");
        Assert.Equal((100, (long?)null), (request.Limit, request.BeforeSeq));
    }

    private static bool IsCopyConstructor(ConstructorInfo constructor, Type type) =>
        constructor.GetParameters() is [var only] && only.ParameterType == type;

    private static string Describe(Type type, NullabilityInfo info)
    {
        if (Nullable.GetUnderlyingType(type) is { } inner)
        {
            return Describe(inner, info) + "?";
        }
        var name = type switch
        {
            _ when type == typeof(string) => "string",
            _ when type == typeof(long) => "long",
            _ when type == typeof(int) => "int",
            _ when type == typeof(bool) => "bool",
            { IsGenericType: true } => $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(", ", type.GetGenericArguments().Select(a => a.Name))}>",
            _ => type.Name,
        };
        return !type.IsValueType && info.ReadState == NullabilityState.Nullable ? name + "?" : name;
    }
}

using MassTransit;
using Microsoft.Extensions.Options;
using SkillForge.Contracts.Operations;
using SkillForge.Contracts.Queues;

namespace SkillForge.Client;

/// <summary>
/// The operator's requests about retention and legal holds, sent to the operations queue: only the operator's broker
/// user may send there, and the worker acts only on what that user sent. Each answer is the result, or
/// <see cref="OperatorRequestRejected"/> for bad input (nothing changed).
/// </summary>
public sealed class SkillForgeOperatorClient(IClientFactory clients, IOptions<SkillForgeClientOptions> options)
{
    private readonly SkillForgeClientOptions _options = options.Value;

    /// <summary>Places a legal hold on a session, a user's sessions or a tenant: nothing it covers is purged or erased.</summary>
    public Task<(LegalHoldPlaced? Placed, OperatorRequestRejected? Rejected)> PlaceHoldAsync(PlaceLegalHold request, CancellationToken cancellationToken = default) =>
        AskAsync<PlaceLegalHold, LegalHoldPlaced>(request, "place hold", cancellationToken);

    /// <summary>Releases a hold (it stays listed, with who released it and when).</summary>
    public Task<(LegalHoldReleased? Released, OperatorRequestRejected? Rejected)> ReleaseHoldAsync(ReleaseLegalHold request, CancellationToken cancellationToken = default) =>
        AskAsync<ReleaseLegalHold, LegalHoldReleased>(request, "release hold", cancellationToken);

    /// <summary>The holds of a tenant (every tenant when null), active ones only unless <paramref name="includeReleased"/>.</summary>
    public async Task<LegalHoldList> ListHoldsAsync(string? tenantId, bool includeReleased = false, CancellationToken cancellationToken = default)
    {
        var client = clients.CreateRequestClient<ListLegalHolds>(SkillForgeQueues.Address(SkillForgeQueues.Operations), _options.RequestTimeout);
        var response = await RequestDeadline.WithinAsync(_options, (send, token) => client.GetResponse<LegalHoldList>(
            new ListLegalHolds(tenantId, includeReleased), send.Configure, token), "list holds", cancellationToken);
        return response.Message;
    }

    /// <summary>Gives a tenant retention periods of its own (each 1–3,650 days).</summary>
    public Task<(TenantRetentionShown? Retention, OperatorRequestRejected? Rejected)> SetRetentionAsync(SetTenantRetention request,
        CancellationToken cancellationToken = default) =>
        AskAsync<SetTenantRetention, TenantRetentionShown>(request, "set retention", cancellationToken);

    /// <summary>Puts a tenant back on the worker's default retention periods.</summary>
    public Task<(TenantRetentionShown? Retention, OperatorRequestRejected? Rejected)> ClearRetentionAsync(ClearTenantRetention request,
        CancellationToken cancellationToken = default) =>
        AskAsync<ClearTenantRetention, TenantRetentionShown>(request, "clear retention", cancellationToken);

    /// <summary>The retention periods that apply to a tenant, its own or the defaults.</summary>
    public Task<(TenantRetentionShown? Retention, OperatorRequestRejected? Rejected)> GetRetentionAsync(string tenantId,
        CancellationToken cancellationToken = default) =>
        AskAsync<GetTenantRetention, TenantRetentionShown>(new GetTenantRetention(tenantId), "show retention", cancellationToken);

    private async Task<(TAnswer?, OperatorRequestRejected?)> AskAsync<TRequest, TAnswer>(TRequest request, string what, CancellationToken cancellationToken)
        where TRequest : class
        where TAnswer : class
    {
        var client = clients.CreateRequestClient<TRequest>(SkillForgeQueues.Address(SkillForgeQueues.Operations), _options.RequestTimeout);
        var response = await RequestDeadline.WithinAsync(_options, (send, token) => client.GetResponse<TAnswer, OperatorRequestRejected>(
            request, send.Configure, token), what, cancellationToken);
        return response.Is(out Response<TAnswer>? answer) ? (answer.Message, null) : (null, response.Is(out Response<OperatorRequestRejected>? rejected) ? rejected.Message
            : throw new InvalidOperationException($"Unexpected response {response.Message.GetType().Name} to {what}."));
    }
}

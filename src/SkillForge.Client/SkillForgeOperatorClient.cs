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

    public Task<(LegalHoldPlaced? Placed, OperatorRequestRejected? Rejected)> PlaceHoldAsync(PlaceLegalHold request, CancellationToken cancellationToken = default) =>
        AskAsync<PlaceLegalHold, LegalHoldPlaced>(request, "place hold", cancellationToken);

    public Task<(LegalHoldReleased? Released, OperatorRequestRejected? Rejected)> ReleaseHoldAsync(ReleaseLegalHold request, CancellationToken cancellationToken = default) =>
        AskAsync<ReleaseLegalHold, LegalHoldReleased>(request, "release hold", cancellationToken);

    public async Task<LegalHoldList> ListHoldsAsync(string? tenantId, bool includeReleased = false, CancellationToken cancellationToken = default)
    {
        var client = clients.CreateRequestClient<ListLegalHolds>(SkillForgeQueues.Address(SkillForgeQueues.Operations), _options.RequestTimeout);
        var response = await RequestDeadline.WithinAsync(_options, token => client.GetResponse<LegalHoldList>(
            new ListLegalHolds(tenantId, includeReleased), RequestDeadline.Mandatory, token), "list holds", cancellationToken);
        return response.Message;
    }

    public Task<(TenantRetentionShown? Retention, OperatorRequestRejected? Rejected)> SetRetentionAsync(SetTenantRetention request,
        CancellationToken cancellationToken = default) =>
        AskAsync<SetTenantRetention, TenantRetentionShown>(request, "set retention", cancellationToken);

    public Task<(TenantRetentionShown? Retention, OperatorRequestRejected? Rejected)> ClearRetentionAsync(ClearTenantRetention request,
        CancellationToken cancellationToken = default) =>
        AskAsync<ClearTenantRetention, TenantRetentionShown>(request, "clear retention", cancellationToken);

    public Task<(TenantRetentionShown? Retention, OperatorRequestRejected? Rejected)> GetRetentionAsync(string tenantId,
        CancellationToken cancellationToken = default) =>
        AskAsync<GetTenantRetention, TenantRetentionShown>(new GetTenantRetention(tenantId), "show retention", cancellationToken);

    private async Task<(TAnswer?, OperatorRequestRejected?)> AskAsync<TRequest, TAnswer>(TRequest request, string what, CancellationToken cancellationToken)
        where TRequest : class
        where TAnswer : class
    {
        var client = clients.CreateRequestClient<TRequest>(SkillForgeQueues.Address(SkillForgeQueues.Operations), _options.RequestTimeout);
        var response = await RequestDeadline.WithinAsync(_options, token => client.GetResponse<TAnswer, OperatorRequestRejected>(
            request, RequestDeadline.Mandatory, token), what, cancellationToken);
        return response.Is(out Response<TAnswer>? answer) ? (answer.Message, null) : (null, response.Is(out Response<OperatorRequestRejected>? rejected) ? rejected.Message
            : throw new InvalidOperationException($"Unexpected response {response.Message.GetType().Name} to {what}."));
    }
}

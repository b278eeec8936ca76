using MassTransit;

namespace SkillForge.Worker.Hosting;

/// <summary>
/// What every skillforge endpoint shares: its queue name, the transport settings of <see cref="EndpointPolicies"/>
/// and the in-memory retries of <see cref="TransientFaults"/>. A subclass names its queue and adds only what is its own
/// (a filter, a single active consumer) in <see cref="Configure"/>, which runs inside the retry.
/// </summary>
public abstract class SkillForgeConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    protected SkillForgeConsumerDefinition(WorkerOptions options, string queue, int? concurrentMessageLimit = null)
    {
        Options = options;
        Queue = queue;
        EndpointName = queue;
        ConcurrentMessageLimit = concurrentMessageLimit;
    }

    protected WorkerOptions Options { get; }

    protected string Queue { get; }

    protected sealed override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context)
    {
        EndpointPolicies.ApplyOnce(endpointConfigurator, Queue, Options);
        Configure(endpointConfigurator, consumerConfigurator);
    }

    /// <summary>The endpoint's own settings, after the shared ones.</summary>
    protected virtual void Configure(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<TConsumer> consumer)
    {
    }
}

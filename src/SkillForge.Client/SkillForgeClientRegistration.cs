using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using SkillForge.Contracts;
using SkillForge.Contracts.Operations;
using SkillForge.Contracts.Queues;

namespace SkillForge.Client;

/// <summary>Registers the SkillForge clients with MassTransit.</summary>
public static class SkillForgeClientRegistration
{
    /// <summary>
    /// Adds the request clients addressed to the worker's queues, the <see cref="SkillForgeClient"/> and (for operators)
    /// the <see cref="SkillForgeOperatorClient"/>.
    /// Call it inside <c>AddMassTransit(x => x.AddSkillForgeClient())</c>.
    /// </summary>
    public static IBusRegistrationConfigurator AddSkillForgeClient(this IBusRegistrationConfigurator bus)
    {
        bus.AddRequestClient<ProcessChatTurn>(SkillForgeQueues.Address(SkillForgeQueues.ChatTurns));
        bus.AddRequestClient<GetSessionHistory>(SkillForgeQueues.Address(SkillForgeQueues.SessionHistory));
        bus.AddRequestClient<EraseSession>(SkillForgeQueues.Address(SkillForgeQueues.SessionErasure));
        bus.AddRequestClient<EraseUser>(SkillForgeQueues.Address(SkillForgeQueues.SessionErasure));
        bus.AddRequestClient<ListUserSessions>(SkillForgeQueues.Address(SkillForgeQueues.UserSessions));
        bus.AddRequestClient<ExportSession>(SkillForgeQueues.Address(SkillForgeQueues.SessionExport));
        bus.AddRequestClient<ListSessions>(SkillForgeQueues.Address(SkillForgeQueues.Operations));
        bus.AddOptions<SkillForgeClientOptions>()
            .BindConfiguration(SkillForgeClientOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        bus.AddSendObserver<RefusedPublishObserver>();
        bus.AddScoped<SkillForgeClient>();
        bus.AddScoped<SkillForgeOperatorClient>();
        return bus;
    }
}

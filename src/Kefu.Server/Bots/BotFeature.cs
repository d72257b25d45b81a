using Kefu.Bots.Faq;
using Kefu.Bots.Learning;
using Kefu.Core.Bots;

namespace Kefu.Server.Bots;

internal static class BotFeature
{
    /// <summary>Needs the <see cref="IFaqStore"/> and <see cref="ILearningStore"/> of the store (<see cref="Hosting.StorageFeature"/>).</summary>
    public static IServiceCollection AddKefuBots(this IServiceCollection services)
    {
        services.AddSingleton(_ => new FaqIndex(new FaqOptions()));
        services.AddSingleton(sp => new FaqCatalog(sp.GetRequiredService<IFaqStore>(), sp.GetRequiredService<FaqIndex>()));
        services.AddSingleton(sp => new LearningLoop(sp.GetRequiredService<ILearningStore>(), sp.GetRequiredService<FaqCatalog>(), sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<BotStartup>();
        return services;
    }

    public static IEndpointRouteBuilder MapKefuBots(this IEndpointRouteBuilder app) => BotEndpoints.Map(app);
}

using Kefu.Bots.Faq;
using Kefu.Bots.Learning;
using Kefu.Core.Bots;
using Kefu.Storage.Sqlite;

namespace Kefu.Server.Bots;

internal static class BotFeature
{
    public static IServiceCollection AddKefuBots(this IServiceCollection services)
    {
        services.AddSingleton(_ => new FaqIndex(new FaqOptions()));
        services.AddSingleton<IFaqStore>(sp => sp.GetRequiredService<SqliteStore>().Faq);
        services.AddSingleton<ILearningStore>(sp => sp.GetRequiredService<SqliteStore>().Learning);
        services.AddSingleton(sp => new FaqCatalog(sp.GetRequiredService<IFaqStore>(), sp.GetRequiredService<FaqIndex>()));
        services.AddSingleton(sp => new LearningLoop(sp.GetRequiredService<ILearningStore>(), sp.GetRequiredService<FaqCatalog>(), sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<BotStartup>();
        return services;
    }

    public static IEndpointRouteBuilder MapKefuBots(this IEndpointRouteBuilder app) => BotEndpoints.Map(app);
}

using Kefu.Bots.Faq;
using Kefu.Bots.Learning;
using Kefu.Core.Bots;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Bots;

internal static class BotFeature
{
    /// <summary>Needs the <see cref="IFaqStore"/>, <see cref="ILearningStore"/> and <see cref="IBotFlowStore"/> of the store (<see cref="Hosting.StorageFeature"/>).</summary>
    public static IServiceCollection AddKefuBots(this IServiceCollection services)
    {
        services.AddOptions<BotOptions>().BindConfiguration(BotOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BotOptions>, BotOptionsValidator>();
        services.AddSingleton(_ => new FaqIndex(new FaqOptions()));
        services.AddSingleton(sp => new FaqCatalog(sp.GetRequiredService<IFaqStore>(), sp.GetRequiredService<FaqIndex>()));
        services.AddSingleton(sp => new LearningLoop(sp.GetRequiredService<ILearningStore>(), sp.GetRequiredService<FaqCatalog>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<BotRules>();
        services.AddSingleton<BotEngine>();
        services.AddSingleton<BotSiteConfig>();
        services.AddSingleton<BotAgents>();
        services.AddSingleton<BotEntry>();
        services.AddSingleton<BotFlow>();
        services.AddHostedService<BotStartup>();
        services.AddHostedService<BotIdleCloser>();
        services.AddHostedService<BotAgentWatch>();
        return services;
    }

    public static IEndpointRouteBuilder MapKefuBots(this IEndpointRouteBuilder app)
    {
        BotEndpoints.Map(app);
        var group = app.MapGroup("/api/v1/bot").WithTags("Bot").RequireAuthorization(Auth.Policies.Admin);
        BotRuleEndpoints.Map(group);
        BotSettingsEndpoints.Map(group);
        return app;
    }
}

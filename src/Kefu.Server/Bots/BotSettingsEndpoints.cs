using Kefu.Core.Bots;
using Kefu.Core.Storage;

namespace Kefu.Server.Bots;

/// <summary>
/// A site's bot settings (<c>/api/v1/bot/settings</c>: mode, welcome, failures before handoff, the bot's name) and
/// its numbers (<c>/api/v1/bot/numbers</c>: resolution and handoff rates, unanswered questions over a time range).
/// </summary>
internal static class BotSettingsEndpoints
{
    private const string Auto = "auto";
    private const int MaxWelcome = 1000;

    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/settings", GetAsync).WithSummary("The site's bot settings (?siteKey=, default site).");
        group.MapPut("/settings", PutAsync).WithSummary("Sets mode (auto|botFirst|humanFirst|botWhenNoAgent), welcomes (per language), welcome, failuresBeforeHandoff, botName.");
        group.MapGet("/numbers", NumbersAsync).WithSummary("Bot resolution rate, handoff rate and unanswered questions: ?siteKey=&from=&to= (ISO-8601; default the last 30 days).");
    }

    private static async Task<IResult> GetAsync(string? siteKey, HttpContext http, IDirectoryStore directory, BotSiteConfig config)
    {
        var site = await BotSites.FindAsync(http, directory, siteKey);
        return site is null ? BotSites.UnknownSite() : Results.Ok(await ToDtoAsync(await config.GetAsync(site.Id, http.RequestAborted), config, http.RequestAborted));
    }

    private static async Task<IResult> PutAsync(BotSettingsRequest request, HttpContext http, IDirectoryStore directory, IBotFlowStore store, BotSiteConfig config, TimeProvider time)
    {
        var site = await BotSites.FindAsync(http, directory, request.SiteKey);
        if (site is null)
        {
            return BotSites.UnknownSite();
        }
        BotMode? mode = null;
        if (request.Mode is not null && request.Mode != Auto)
        {
            mode = BotModes.FromWire(request.Mode);
            if (mode is null)
            {
                return BotSites.BadRequest("mode is one of auto, botFirst, humanFirst, botWhenNoAgent.");
            }
        }
        if (request.Welcome is { Length: > MaxWelcome } || (request.Welcome?.Contains('\0', StringComparison.Ordinal) ?? false))
        {
            return BotSites.BadRequest($"welcome has at most {MaxWelcome} characters.");
        }
        if (request.FailuresBeforeHandoff is < 1 or > 100)
        {
            return BotSites.BadRequest("failuresBeforeHandoff is between 1 and 100.");
        }
        var (welcomes, welcomesProblem) = Welcomes(request.Welcomes);
        if (welcomesProblem is not null)
        {
            return BotSites.BadRequest(welcomesProblem);
        }
        var botName = string.IsNullOrWhiteSpace(request.BotName) ? null : request.BotName.Trim();
        if (botName is { Length: > 50 } || (botName?.Contains('\0', StringComparison.Ordinal) ?? false))
        {
            return BotSites.BadRequest("botName has at most 50 characters.");
        }
        var settings = new BotSiteSettings(
            site.Id, mode, request.Welcome?.Trim(), request.FailuresBeforeHandoff ?? BotSiteConfig.DefaultFailuresBeforeHandoff, botName, time.GetUtcNow(), welcomes);
        await store.SaveSettingsAsync(settings, http.RequestAborted);
        return Results.Ok(await ToDtoAsync(settings, config, http.RequestAborted));
    }

    private static async Task<IResult> NumbersAsync(string? siteKey, DateTimeOffset? from, DateTimeOffset? to, HttpContext http, IDirectoryStore directory, IBotFlowStore store, TimeProvider time)
    {
        var site = await BotSites.FindAsync(http, directory, siteKey);
        if (site is null)
        {
            return BotSites.UnknownSite();
        }
        var until = to ?? time.GetUtcNow();
        var since = from ?? until.AddDays(-30);
        if (since >= until)
        {
            return BotSites.BadRequest("from must be before to.");
        }
        var n = await store.GetNumbersAsync(site.Id, since, until, http.RequestAborted);
        return Results.Ok(new BotNumbersDto(
            since, until, n.Conversations, n.Resolved, n.HandedOff, Rate(n.Resolved, n.Conversations), Rate(n.HandedOff, n.Conversations), n.Answered, n.Unanswered));
    }

    /// <summary>The welcomes by language tag, trimmed; a null text drops the language (the fallback applies).</summary>
    private static (IReadOnlyDictionary<string, string>? Welcomes, string? Problem) Welcomes(IReadOnlyDictionary<string, string?>? requested)
    {
        if (requested is null || requested.Count == 0)
        {
            return (null, null);
        }
        if (requested.Count > BotWelcomes.MaxLanguages)
        {
            return (null, $"welcomes has at most {BotWelcomes.MaxLanguages} languages.");
        }
        var welcomes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (tag, text) in requested)
        {
            if (!BotWelcomes.IsValidTag(tag))
            {
                return (null, $"welcomes is keyed by language tags such as zh-CN or en (at most {BotWelcomes.MaxTagLength} characters).");
            }
            if (text is { Length: > MaxWelcome } || (text?.Contains('\0', StringComparison.Ordinal) ?? false))
            {
                return (null, $"Each welcome has at most {MaxWelcome} characters.");
            }
            if (text is not null && !welcomes.TryAdd(tag, text.Trim()))
            {
                return (null, "welcomes names a language twice.");
            }
        }
        return (welcomes.Count == 0 ? null : welcomes, null);
    }

    private static double Rate(int part, int whole) => whole == 0 ? 0 : Math.Round((double)part / whole, 4);

    private static async Task<BotSettingsDto> ToDtoAsync(BotSiteSettings s, BotSiteConfig config, CancellationToken cancellationToken) => new(
        s.SiteId,
        BotModes.ToWire(s.Mode) ?? Auto,
        BotModes.ToWire(await config.ModeOfAsync(s, cancellationToken))!,
        s.Welcome,
        s.FailuresBeforeHandoff,
        s.BotName,
        s.Welcomes ?? new Dictionary<string, string>());
}

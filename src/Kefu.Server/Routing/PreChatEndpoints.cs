using System.Text.Json;
using Kefu.Core.Storage;
using Kefu.Server.Auth;

namespace Kefu.Server.Routing;

/// <summary>
/// The pre-chat form: a visitor reads the site's form and sends it (name, contact, team) before its first
/// message; admins turn it on and shape it per site. The answers go with the visitor's next conversation
/// (its team) and show in the console's visitor panel.
/// </summary>
internal static class PreChatEndpoints
{
    public const int MaxNameLength = 100;
    public const int MaxContactLength = 200;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/visitor/prechat", GetFormAsync).WithTags("Routing").RequireAuthorization()
            .WithSummary("The visitor's site's pre-chat form: which fields to ask and the teams to choose from.");
        app.MapPost("/api/v1/visitor/prechat", SendFormAsync).WithTags("Routing").RequireAuthorization()
            .WithSummary("Sends the pre-chat form (name, contact, team) before the first message.");
        var admin = app.MapGroup("/api/v1/sites/{siteKey}/prechat").WithTags("Admin").RequireAuthorization(Policies.Admin);
        admin.MapGet("/", GetSettingsAsync).WithSummary("The site's pre-chat form settings (off by default).");
        admin.MapPut("/", SaveSettingsAsync).WithSummary("Turns the site's pre-chat form on or off and chooses its fields.");
    }

    public static async Task<PreChatSettings> LoadAsync(IDirectoryStore directory, string siteId, CancellationToken cancellationToken)
    {
        var json = await directory.GetSettingAsync(PreChatSettings.Key(siteId), cancellationToken);
        return json is null ? new PreChatSettings() : JsonSerializer.Deserialize(json, RoutingJsonContext.Default.PreChatSettings) ?? new PreChatSettings();
    }

    private static async Task<IResult> GetFormAsync(HttpContext http, IDirectoryStore directory)
    {
        var caller = Caller.From(http.User);
        if (!caller.IsVisitor || caller.SiteId is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Only visitors fill in the pre-chat form.");
        }
        var settings = await LoadAsync(directory, caller.SiteId, http.RequestAborted);
        var teams = settings.Enabled && settings.ChooseTeam ? await directory.ListTeamsAsync(caller.TenantId, http.RequestAborted) : [];
        var choices = teams.Count > 1 ? teams.Select(t => new PreChatTeam(t.Id, t.Name)).ToList() : [];
        return Results.Ok(new PreChatView(settings.Enabled, settings.AskName, settings.AskContact, settings.ContactRequired, choices));
    }

    private static async Task<IResult> SendFormAsync(PreChatForm form, HttpContext http, IDirectoryStore directory, VisitorRouting routing)
    {
        var caller = Caller.From(http.User);
        if (!caller.IsVisitor || caller.SiteId is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Only visitors fill in the pre-chat form.");
        }
        var settings = await LoadAsync(directory, caller.SiteId, http.RequestAborted);
        if (!settings.Enabled)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "This site has no pre-chat form.");
        }
        var name = Clean(form.Name);
        var contact = Clean(form.Contact);
        if (name is { Length: > MaxNameLength } || contact is { Length: > MaxContactLength } || form.Team is { Length: > MaxNameLength })
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: $"name and team have at most {MaxNameLength} characters, contact at most {MaxContactLength}.");
        }
        if (settings.AskContact && settings.ContactRequired && contact is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "contact is required.");
        }
        string? teamId = null;
        if (!string.IsNullOrWhiteSpace(form.Team))
        {
            teamId = EntryPoint.Resolve(await directory.ListTeamsAsync(caller.TenantId, http.RequestAborted), form.Team)?.Id;
            if (teamId is null)
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "No such team.");
            }
        }
        if (settings.AskName && name is not null)
        {
            // The console lists the visitor by this name (a verified identity keeps its signed one).
            await directory.NameVisitorAsync(caller.UserId, name, http.RequestAborted);
        }
        await routing.UpdateAsync(caller.UserId, e => e with
        {
            TeamId = teamId ?? e.TeamId,
            Name = settings.AskName ? name : null,
            Contact = settings.AskContact ? contact : null,
        }, http.RequestAborted);
        return Results.NoContent();
    }

    private static async Task<IResult> GetSettingsAsync(string siteKey, HttpContext http, IDirectoryStore directory)
    {
        var site = await FindSiteAsync(siteKey, http, directory);
        return site is null ? NoSite() : Results.Ok(await LoadAsync(directory, site.Id, http.RequestAborted));
    }

    private static async Task<IResult> SaveSettingsAsync(string siteKey, PreChatSettings settings, HttpContext http, IDirectoryStore directory)
    {
        var site = await FindSiteAsync(siteKey, http, directory);
        if (site is null)
        {
            return NoSite();
        }
        await directory.SetSettingAsync(PreChatSettings.Key(site.Id), JsonSerializer.Serialize(settings, RoutingJsonContext.Default.PreChatSettings), http.RequestAborted);
        return Results.Ok(settings);
    }

    private static async Task<Site?> FindSiteAsync(string siteKey, HttpContext http, IDirectoryStore directory)
    {
        var site = await directory.FindSiteByKeyAsync(siteKey, http.RequestAborted);
        return site is not null && site.TenantId == Caller.From(http.User).TenantId ? site : null;
    }

    private static IResult NoSite() => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such site.");

    /// <summary>Trimmed, without control characters; null when nothing is left.</summary>
    private static string? Clean(string? value)
    {
        if (value is null)
        {
            return null;
        }
        var cleaned = new string(value.Where(c => !char.IsControl(c)).ToArray()).Trim();
        return cleaned.Length == 0 ? null : cleaned;
    }
}

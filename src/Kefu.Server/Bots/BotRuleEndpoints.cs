using Kefu.Bots.Rules;
using Kefu.Core.Bots;
using Kefu.Core.Ids;
using Kefu.Core.Storage;
using Kefu.Server.Auth;
using Kefu.Server.Routing;

namespace Kefu.Server.Bots;

/// <summary>
/// Rules CRUD (<c>/api/v1/bot/rules</c>). Rules are stored, and every node reloads them when they change, so a new
/// or changed rule answers from the very next message. An invalid rule (a bad regular expression, no patterns,
/// a reply that does not fit its kind) is refused with 400 and a message saying why.
/// </summary>
internal static class BotRuleEndpoints
{
    private const int MaxPatterns = 50;
    private const int MaxPattern = 500;
    private const int MaxText = 4000;
    private const int MaxOptions = 10;
    private const int MaxPriority = 100_000;

    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/rules", ListAsync).WithSummary("Rules of a site (?siteKey=, default site), highest priority first.");
        group.MapPost("/rules", CreateAsync).WithSummary("Adds a keyword, phrase or regex rule replying with text, quick replies or a card.");
        group.MapPut("/rules/{id}", UpdateAsync);
        group.MapDelete("/rules/{id}", DeleteAsync);
    }

    private static async Task<IResult> ListAsync(string? siteKey, HttpContext http, IDirectoryStore directory, IBotFlowStore store)
    {
        var site = await BotSites.FindAsync(http, directory, siteKey);
        if (site is null)
        {
            return BotSites.UnknownSite();
        }
        var rules = await store.ListRulesAsync(http.RequestAborted);
        return Results.Ok(rules.Where(r => r.SiteId == site.Id).OrderByDescending(r => r.Priority).ThenBy(r => r.Id, StringComparer.Ordinal).Select(ToDto).ToList());
    }

    private static async Task<IResult> CreateAsync(RuleRequest request, HttpContext http, IDirectoryStore directory, IBotFlowStore store, TimeProvider time)
    {
        var site = await BotSites.FindAsync(http, directory, request.SiteKey);
        if (site is null)
        {
            return BotSites.UnknownSite();
        }
        return await SaveAsync(IdGenerator.New("rule", time.GetUtcNow()), site.Id, request, http, directory, store, created: true);
    }

    private static async Task<IResult> UpdateAsync(string id, RuleRequest request, HttpContext http, IDirectoryStore directory, IBotFlowStore store)
    {
        var existing = (await store.ListRulesAsync(http.RequestAborted)).FirstOrDefault(r => r.Id == id);
        if (existing?.SiteId is null || !await BotSites.OwnsAsync(http, directory, existing.SiteId))
        {
            return NotFound();
        }
        return await SaveAsync(id, existing.SiteId!, request, http, directory, store, created: false);
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext http, IDirectoryStore directory, IBotFlowStore store)
    {
        var existing = (await store.ListRulesAsync(http.RequestAborted)).FirstOrDefault(r => r.Id == id);
        if (existing?.SiteId is null || !await BotSites.OwnsAsync(http, directory, existing.SiteId))
        {
            return NotFound();
        }
        await store.DeleteRuleAsync(id, http.RequestAborted);
        return Results.NoContent();
    }

    private static async Task<IResult> SaveAsync(
        string id, string siteId, RuleRequest request, HttpContext http, IDirectoryStore directory, IBotFlowStore store, bool created)
    {
        string? teamId = null;
        if (!string.IsNullOrWhiteSpace(request.Team))
        {
            var team = EntryPoint.Resolve(await directory.ListTeamsAsync(Caller.From(http.User).TenantId, http.RequestAborted), request.Team);
            if (team is null)
            {
                return BotSites.BadRequest("No such team.");
            }
            teamId = team.Id;
        }
        var (rule, error) = Build(id, siteId, teamId, request);
        if (error is not null)
        {
            return BotSites.BadRequest(error);
        }
        try
        {
            new RuleSet().Upsert(rule!);
        }
        catch (ArgumentException ex)
        {
            return BotSites.BadRequest(ex.Message);
        }
        await store.SaveRuleAsync(rule!, http.RequestAborted);
        return created ? Results.Created($"/api/v1/bot/rules/{id}", ToDto(rule!)) : Results.Ok(ToDto(rule!));
    }

    private static (BotRule? Rule, string? Error) Build(string id, string siteId, string? teamId, RuleRequest request)
    {
        RuleMatchKind match;
        switch (request.Match)
        {
            case "keyword": match = RuleMatchKind.Keyword; break;
            case "phrase": match = RuleMatchKind.Phrase; break;
            case "regex": match = RuleMatchKind.Regex; break;
            default: return (null, "match is one of keyword, phrase, regex.");
        }
        var patterns = request.Patterns?.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim()).Distinct(StringComparer.Ordinal).ToList() ?? [];
        if (patterns.Count is 0 or > MaxPatterns || patterns.Any(p => p.Length > MaxPattern || HasNul(p)))
        {
            return (null, $"patterns: 1 to {MaxPatterns}, each at most {MaxPattern} characters.");
        }
        if (request.Priority is < -MaxPriority or > MaxPriority)
        {
            return (null, $"priority is between -{MaxPriority} and {MaxPriority}.");
        }
        var (reply, error) = BuildReply(request.Reply);
        return error is not null
            ? (null, error)
            : (new BotRule(id, match, patterns, reply!, request.Priority ?? 0, siteId, teamId, request.Enabled ?? true), null);
    }

    private static (BotReply? Reply, string? Error) BuildReply(RuleReplyBody? body)
    {
        if (body is null)
        {
            return (null, "reply is required.");
        }
        var text = string.IsNullOrWhiteSpace(body.Text) ? null : body.Text.Trim();
        if (text is { Length: > MaxText } || HasNul(text))
        {
            return (null, $"reply.text has at most {MaxText} characters.");
        }
        switch (body.Kind ?? "text")
        {
            case "text":
                return text is null ? (null, "reply.text is required.") : (BotReply.FromText(text, 1.0), null);
            case "quickReplies":
                var options = body.Options ?? [];
                if (text is null || options.Count is 0 or > MaxOptions
                    || options.Any(o => o is null || string.IsNullOrWhiteSpace(o.Label) || string.IsNullOrWhiteSpace(o.Value) || o.Label.Length > 100 || o.Value.Length > MaxPattern || HasNul(o.Label) || HasNul(o.Value)))
                {
                    return (null, $"quickReplies need reply.text and 1 to {MaxOptions} options with a label (at most 100 characters) and a value.");
                }
                if (options.Any(o => o.Payload is not null && !QuickReplyPayload.IsValid(o.Payload)))
                {
                    return (null, $"An option's payload is a token of letters, digits and . _ : - (at most {QuickReplyPayload.MaxLength} characters).");
                }
                return (BotReply.FromOptions(text, [.. options.Select(o => new QuickReplyOption(o.Label.Trim(), o.Value.Trim(), o.Payload))], 1.0), null);
            case "card":
                if (body.Card is not { } card || string.IsNullOrWhiteSpace(card.Title) || card.Title.Length > 200 || HasNul(card.Title)
                    || card.Description is { Length: > MaxText } || HasNul(card.Description) || !IsWebUrl(card.ImageUrl) || !IsWebUrl(card.Url))
                {
                    return (null, "A card needs reply.card.title (at most 200 characters); imageUrl and url must be http(s) URLs.");
                }
                return (BotReply.FromCard(card with { Title = card.Title.Trim() }, 1.0) with { Text = text }, null);
            default:
                return (null, "reply.kind is one of text, quickReplies, card.");
        }
    }

    private static bool IsWebUrl(string? url) =>
        url is null || (url.Length <= 2000 && Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps));

    private static bool HasNul(string? text) => text is not null && text.Contains('\0', StringComparison.Ordinal);

    private static RuleDto ToDto(BotRule r) => new(
        r.Id,
        r.SiteId!,
        r.TeamId,
        r.Match.ToString().ToLowerInvariant(),
        r.Patterns,
        r.Priority,
        r.Enabled,
        new RuleReplyBody(
            r.Reply.Kind switch { BotReplyKind.QuickReplies => "quickReplies", BotReplyKind.Card => "card", _ => "text" },
            r.Reply.Text,
            r.Reply.Options,
            r.Reply.Card));

    private static IResult NotFound() => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such rule.");
}

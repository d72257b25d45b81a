using Kefu.Bots.Faq;
using Kefu.Bots.Learning;
using Kefu.Core.Bots;
using Kefu.Core.Ids;
using Kefu.Core.Storage;
using Kefu.Server.Auth;

namespace Kefu.Server.Bots;

/// <summary>
/// Admin API of the bot: FAQ entries (CRUD, CSV/JSON import and export), the learning loop's suggestions,
/// and <c>ask</c> to try the bot. Every change updates the in-memory index at once, so the very next
/// question sees it.
/// </summary>
internal static class BotEndpoints
{
    private const int MaxText = 4000;

    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/bot").WithTags("Bot").RequireAuthorization(Policies.Admin);
        group.MapGet("/faq", ListAsync);
        group.MapPost("/faq", CreateAsync);
        group.MapPut("/faq/{id}", UpdateAsync);
        group.MapDelete("/faq/{id}", DeleteAsync);
        group.MapPost("/faq/import", ImportAsync).WithSummary("Imports entries: ?format=csv|json (default json), ?siteKey= (default site).");
        group.MapGet("/faq/export", ExportAsync).WithSummary("Exports entries: ?format=csv|json (default json).");
        group.MapPost("/ask", Ask).WithSummary("What the bot would answer, with its confidence and suggestions.");
        group.MapGet("/suggestions", ListSuggestionsAsync);
        group.MapPut("/suggestions/{id}", EditSuggestionAsync);
        group.MapPost("/suggestions/{id}/approve", ApproveAsync);
        group.MapPost("/suggestions/{id}/reject", RejectAsync);
        return app;
    }

    private static async Task<Site?> SiteAsync(HttpContext http, IDirectoryStore directory, string? siteKey)
    {
        var site = await directory.FindSiteByKeyAsync(string.IsNullOrWhiteSpace(siteKey) ? "default" : siteKey, http.RequestAborted);
        return site is not null && site.TenantId == Caller.From(http.User).TenantId ? site : null;
    }

    private static async Task<bool> OwnsEntryAsync(HttpContext http, IDirectoryStore directory, FaqEntry? entry)
    {
        if (entry is null)
        {
            return false;
        }
        var site = await directory.GetSiteAsync(entry.SiteId, http.RequestAborted);
        return site is not null && site.TenantId == Caller.From(http.User).TenantId;
    }

    private static async Task<IResult> ListAsync(string? siteKey, HttpContext http, IDirectoryStore directory, FaqCatalog catalog)
    {
        var site = await SiteAsync(http, directory, siteKey);
        if (site is null)
        {
            return UnknownSite();
        }
        await catalog.EnsureFreshAsync(site.Id, http.RequestAborted);
        return Results.Ok(catalog.Index.List(site.Id).Select(ToDto).ToList());
    }

    private static async Task<IResult> CreateAsync(FaqEntryRequest request, HttpContext http, IDirectoryStore directory, FaqCatalog catalog, TimeProvider time)
    {
        var site = await SiteAsync(http, directory, request.SiteKey);
        if (site is null)
        {
            return UnknownSite();
        }
        if (Invalid(request) is { } problem)
        {
            return problem;
        }
        var entry = new FaqEntry(IdGenerator.New("faq", time.GetUtcNow()), site.Id, request.Question!.Trim(), Clean(request.Alternates), request.Answer!.Trim(), request.Category);
        await catalog.UpsertAsync(entry, http.RequestAborted);
        return Results.Created($"/api/v1/bot/faq/{entry.Id}", ToDto(entry));
    }

    private static async Task<IResult> UpdateAsync(string id, FaqEntryRequest request, HttpContext http, IDirectoryStore directory, FaqCatalog catalog)
    {
        var existing = await catalog.GetFreshAsync(id, http.RequestAborted);
        if (!await OwnsEntryAsync(http, directory, existing))
        {
            return NotFound();
        }
        if (Invalid(request) is { } problem)
        {
            return problem;
        }
        var entry = existing! with { Question = request.Question!.Trim(), Alternates = Clean(request.Alternates), Answer = request.Answer!.Trim(), Category = request.Category };
        await catalog.UpsertAsync(entry, http.RequestAborted);
        return Results.Ok(ToDto(entry));
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext http, IDirectoryStore directory, FaqCatalog catalog)
    {
        if (!await OwnsEntryAsync(http, directory, await catalog.GetFreshAsync(id, http.RequestAborted)))
        {
            return NotFound();
        }
        await catalog.RemoveAsync(id, http.RequestAborted);
        return Results.NoContent();
    }

    private static async Task<IResult> ImportAsync(string? siteKey, string? format, HttpContext http, IDirectoryStore directory, FaqCatalog catalog, TimeProvider time)
    {
        var site = await SiteAsync(http, directory, siteKey);
        if (site is null)
        {
            return UnknownSite();
        }
        IReadOnlyList<FaqEntry> entries;
        try
        {
            entries = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase)
                ? await FaqCsv.ReadAsync(http.Request.Body, http.RequestAborted)
                : await FaqJson.ReadAsync(http.Request.Body, http.RequestAborted);
        }
        catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The file could not be read: " + ex.Message);
        }
        // Imported entries belong to the chosen site; ids from another deployment are kept when present.
        var now = time.GetUtcNow();
        var placed = entries.Select(e => e with { SiteId = site.Id, Id = string.IsNullOrWhiteSpace(e.Id) ? IdGenerator.New("faq", now) : e.Id }).ToList();
        try
        {
            var count = await catalog.ImportAsync(placed, http.RequestAborted);
            return Results.Ok(new ImportResult(count));
        }
        catch (FormatException ex)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: ex.Message);
        }
    }

    private static async Task ExportAsync(string? siteKey, string? format, HttpContext http, IDirectoryStore directory, FaqCatalog catalog)
    {
        var site = await SiteAsync(http, directory, siteKey);
        if (site is null)
        {
            await UnknownSite().ExecuteAsync(http);
            return;
        }
        await catalog.EnsureFreshAsync(site.Id, http.RequestAborted);
        var index = catalog.Index;
        var csv = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase);
        http.Response.ContentType = csv ? "text/csv; charset=utf-8" : "application/json; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"faq.{(csv ? "csv" : "json")}\"";
        if (csv)
        {
            await FaqCsv.WriteAsync(http.Response.Body, index.List(site.Id), http.RequestAborted);
        }
        else
        {
            await FaqJson.WriteAsync(http.Response.Body, index.List(site.Id), http.RequestAborted);
        }
    }

    private static async Task<IResult> Ask(AskRequest request, HttpContext http, IDirectoryStore directory, FaqCatalog catalog)
    {
        if (string.IsNullOrWhiteSpace(request.Text) || request.Text.Length > MaxText)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: $"text is required, at most {MaxText} characters.");
        }
        var site = await SiteAsync(http, directory, request.SiteKey);
        if (site is null)
        {
            return UnknownSite();
        }
        await catalog.EnsureFreshAsync(site.Id, http.RequestAborted);
        var result = catalog.Index.Search(site.Id, request.Text);
        var top = result.Top;
        var suggestions = result.Band == FaqBand.Suggest
            ? result.Matches.Select(m => new AskSuggestion(m.Entry.Id, m.Entry.Question, m.Confidence)).ToList()
            : [];
        return Results.Ok(new AskResponse(
            result.Band == FaqBand.Answer ? top?.Entry.Answer : null,
            result.Band == FaqBand.Unknown ? null : top?.Entry.Id,
            top?.Confidence ?? 0,
            result.Band.ToString().ToLowerInvariant(),
            suggestions));
    }

    private static async Task<IResult> ListSuggestionsAsync(string? siteKey, string? status, HttpContext http, IDirectoryStore directory, ILearningStore learning)
    {
        var site = await SiteAsync(http, directory, siteKey);
        if (site is null)
        {
            return UnknownSite();
        }
        SuggestionStatus? parsed = null;
        if (status is not null)
        {
            if (!Enum.TryParse<SuggestionStatus>(status, ignoreCase: true, out var s) || int.TryParse(status, out _))
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown status.");
            }
            parsed = s;
        }
        return Results.Ok(await learning.ListSuggestionsAsync(site.Id, parsed, http.RequestAborted));
    }

    private static async Task<IResult> EditSuggestionAsync(string id, SuggestionEdit edit, HttpContext http, IDirectoryStore directory, ILearningStore learning, LearningLoop loop)
    {
        if (!await OwnsSuggestionAsync(http, directory, learning, id))
        {
            return NotFound();
        }
        if (string.IsNullOrWhiteSpace(edit.Question) || string.IsNullOrWhiteSpace(edit.Answer))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "question and answer are required.");
        }
        var edited = await loop.EditAsync(id, edit.Question.Trim(), edit.Answer.Trim(), edit.TargetEntryId, http.RequestAborted);
        return edited is null ? NotFound() : Results.Ok(edited);
    }

    private static async Task<IResult> ApproveAsync(string id, HttpContext http, IDirectoryStore directory, ILearningStore learning, LearningLoop loop)
    {
        if (!await OwnsSuggestionAsync(http, directory, learning, id))
        {
            return NotFound();
        }
        var entry = await loop.ApproveAsync(id, http.RequestAborted);
        return entry is null ? Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The suggestion is not pending.") : Results.Ok(ToDto(entry));
    }

    private static async Task<IResult> RejectAsync(string id, HttpContext http, IDirectoryStore directory, ILearningStore learning, LearningLoop loop)
    {
        if (!await OwnsSuggestionAsync(http, directory, learning, id))
        {
            return NotFound();
        }
        return await loop.RejectAsync(id, http.RequestAborted) ? Results.NoContent() : Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The suggestion is not pending.");
    }

    private static async Task<bool> OwnsSuggestionAsync(HttpContext http, IDirectoryStore directory, ILearningStore learning, string id)
    {
        var suggestion = await learning.GetSuggestionAsync(id, http.RequestAborted);
        if (suggestion is null)
        {
            return false;
        }
        var site = await directory.GetSiteAsync(suggestion.SiteId, http.RequestAborted);
        return site is not null && site.TenantId == Caller.From(http.User).TenantId;
    }

    private static IResult? Invalid(FaqEntryRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Question) || string.IsNullOrWhiteSpace(request.Answer))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "question and answer are required.");
        }
        if (request.Question.Length > MaxText || request.Answer.Length > MaxText || (request.Alternates?.Any(a => a is null || a.Length > MaxText) ?? false))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: $"Texts have at most {MaxText} characters.");
        }
        return null;
    }

    private static List<string> Clean(IReadOnlyList<string>? alternates) =>
        alternates?.Where(a => !string.IsNullOrWhiteSpace(a)).Select(a => a.Trim()).Distinct(StringComparer.Ordinal).ToList() ?? [];

    private static FaqEntryDto ToDto(FaqEntry e) => new(e.Id, e.SiteId, e.Question, e.Alternates, e.Answer, e.Category);

    private static IResult UnknownSite() => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown siteKey.");

    private static IResult NotFound() => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such entry.");
}

using System.Text.Json;
using Kefu.Core.Routing;
using Kefu.Core.Storage;
using Kefu.Server.Auth;
using Kefu.Server.Routing;

namespace Kefu.Server.Admin;

/// <summary>Admin REST for business hours of a team or a site (a team's own hours win); none configured: always open.</summary>
internal static class AdminHours
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/business-hours", ListAsync);
        group.MapPut("/business-hours/{scopeId}", SaveAsync)
            .WithSummary("Sets a team's or site's hours: { timeZone, weekly: { mon: [[\"09:00\",\"18:00\"]], ... }, holidays: [\"yyyy-MM-dd\"] }.");
        group.MapDelete("/business-hours/{scopeId}", DeleteAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext http, IBusinessHoursStore directory)
    {
        var hours = await directory.ListBusinessHoursAsync(Caller.From(http.User).TenantId, http.RequestAborted);
        return Results.Ok(hours.Select(h => new { h.ScopeId, schedule = JsonDocument.Parse(h.ScheduleJson).RootElement }).ToList());
    }

    private static async Task<IResult> SaveAsync(string scopeId, JsonElement schedule, HttpContext http, IDirectoryStore directory, IBusinessHoursStore store, OpeningHours hours)
    {
        var caller = Caller.From(http.User);
        if (!await IsScopeAsync(directory, caller.TenantId, scopeId, http.RequestAborted))
        {
            return AdminAgents.Problem(StatusCodes.Status404NotFound, "No such team or site.");
        }
        var json = schedule.GetRawText();
        try
        {
            BusinessSchedule.Parse(json);
        }
        catch (FormatException ex)
        {
            return AdminAgents.Problem(StatusCodes.Status400BadRequest, ex.Message);
        }
        await store.SaveBusinessHoursAsync(caller.TenantId, scopeId, json, http.RequestAborted);
        hours.Invalidate(caller.TenantId);
        return Results.NoContent();
    }

    private static async Task<IResult> DeleteAsync(string scopeId, HttpContext http, IBusinessHoursStore directory, OpeningHours hours)
    {
        var caller = Caller.From(http.User);
        await directory.SaveBusinessHoursAsync(caller.TenantId, scopeId, null, http.RequestAborted);
        hours.Invalidate(caller.TenantId);
        return Results.NoContent();
    }

    private static async Task<bool> IsScopeAsync(IDirectoryStore directory, string tenantId, string scopeId, CancellationToken cancellationToken) =>
        (await directory.ListTeamsAsync(tenantId, cancellationToken)).Any(t => t.Id == scopeId)
        || await directory.GetSiteAsync(scopeId, cancellationToken) is { } site && site.TenantId == tenantId;
}

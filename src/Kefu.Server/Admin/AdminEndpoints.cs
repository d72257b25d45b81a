using Kefu.Server.Auth;

namespace Kefu.Server.Admin;

/// <summary>The admin REST API: agents, teams and business hours. Only admins may call it.</summary>
internal static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapKefuAdmin(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").WithTags("Admin").RequireAuthorization(Policies.Admin);
        AdminAgents.Map(group);
        AdminTeams.Map(group);
        AdminHours.Map(group);
        AdminRouting.Map(group);
        return app;
    }
}

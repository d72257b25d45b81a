using Kefu.Core.Protocol;
using Kefu.Core.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Auth;

internal static class AuthEndpoints
{
    public static IServiceCollection AddKefuAuth(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateOnStart();
        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section).ValidateOnStart();
        services.AddSingleton<SigningKeyRing>();
        services.AddSingleton<TokenService>();
        services.AddSingleton<CallerResolver>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<IPasswordHasher<Agent>, PasswordHasher<Agent>>();
        services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Agent, p => p.RequireRole(Roles.Agent))
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Agent).RequireRole("admin"));
        return services;
    }

    public static IEndpointRouteBuilder MapKefuAuth(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/auth/login", LoginAsync).WithTags("Auth").AllowAnonymous();
        app.MapGet("/api/v1/me", MeAsync).WithTags("Auth").RequireAuthorization(Policies.Agent);
        return app;
    }

    private static async Task<IResult> LoginAsync(
        LoginRequest request,
        HttpContext http,
        IDirectoryStore directory,
        IPasswordHasher<Agent> hasher,
        LoginThrottle throttle,
        TokenService tokens,
        IOptions<AuthOptions> options)
    {
        if (string.IsNullOrWhiteSpace(request.Username) || string.IsNullOrEmpty(request.Password) || request.Username.Length > 200 || request.Password.Length > 1024)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "username and password are required.");
        }
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var wait = throttle.RetryAfterSeconds(request.Username, address);
        if (wait > 0)
        {
            http.Response.Headers.RetryAfter = wait.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many failed logins; try again later.");
        }
        var agent = await directory.FindAgentByUsernameAsync(request.Username, http.RequestAborted);
        var verified = agent is not null
            && !agent.Disabled
            && hasher.VerifyHashedPassword(agent, agent.PasswordHash, request.Password) != PasswordVerificationResult.Failed;
        if (agent is null)
        {
            // Same work as a real check, so response time does not tell which usernames exist.
            hasher.HashPassword(null!, request.Password);
        }
        if (!verified || agent is null)
        {
            throttle.RecordFailure(request.Username, address);
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Invalid username or password.");
        }
        throttle.RecordSuccess(request.Username);
        var (token, expiresAt) = tokens.Issue(agent.Id, Roles.Agent, agent.TenantId, null, agent.TokenVersion, TimeSpan.FromHours(options.Value.AgentTokenHours));
        return Results.Ok(new LoginResponse(token, expiresAt, ToProfile(agent)));
    }

    private static async Task<IResult> MeAsync(HttpContext http, IDirectoryStore directory)
    {
        var caller = Caller.From(http.User);
        var agent = await directory.GetAgentAsync(caller.UserId, http.RequestAborted);
        return agent is null ? Results.NotFound() : Results.Ok(ToProfile(agent));
    }

    private static AgentProfile ToProfile(Agent agent) =>
        new(agent.Id, agent.Username, agent.DisplayName, agent.IsAdmin, agent.TenantId, agent.MustChangePassword);
}

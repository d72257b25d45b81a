namespace Kefu.Server.Uploads;

/// <summary>
/// Every tus response carries <c>Tus-Resumable</c> and, for browsers on another origin, CORS headers
/// (<see cref="UploadCors"/>); every request but OPTIONS must speak version 1.0.0 (else 412) and be authenticated.
/// Authentication is checked here rather than by the authorization middleware so that the 401 also carries the tus
/// and CORS headers.
/// </summary>
internal sealed class TusProtocolFilter(UploadCors cors) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        http.Response.Headers[Tus.ResumableHeader] = Tus.Version;
        if (HttpMethods.IsOptions(http.Request.Method))
        {
            UploadCors.Preflight(http);
            return await next(context);
        }
        await cors.ApplyAsync(http);
        if (http.Request.Headers[Tus.ResumableHeader] != Tus.Version)
        {
            http.Response.Headers[Tus.VersionHeader] = Tus.Version;
            return Results.StatusCode(StatusCodes.Status412PreconditionFailed);
        }
        if (http.User.Identity?.IsAuthenticated != true)
        {
            return Results.Challenge();
        }
        return await next(context);
    }
}

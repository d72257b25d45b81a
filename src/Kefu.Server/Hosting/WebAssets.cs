using Microsoft.Extensions.FileProviders;

namespace Kefu.Server.Hosting;

/// <summary>
/// Serves the built web apps from wwwroot/: the widget loader at /widget.js, the H5 chat page at /chat,
/// the agent console at /console (a single-page app) and the demo page at /demo.
/// </summary>
internal static class WebAssets
{
    /// <summary>
    /// wwwroot/ next to the binary (a published build), else the project's own wwwroot/ where
    /// <c>dotnet build</c> writes the web apps (a build from source).
    /// </summary>
    public static string FindWebRoot()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        if (Directory.Exists(beside))
        {
            return beside;
        }
        var projectDir = typeof(WebAssets).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .OfType<System.Reflection.AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "KefuProjectDir")?.Value;
        var source = projectDir is null ? null : Path.Combine(projectDir, "wwwroot");
        return source is not null && Directory.Exists(source) ? source : beside;
    }

    public static WebApplication UseKefuWebAssets(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = ctx => ctx.Context.Response.Headers.XContentTypeOptions = "nosniff",
        });
        return app;
    }

    public static IEndpointRouteBuilder MapKefuWebAssets(this IEndpointRouteBuilder app, IWebHostEnvironment env)
    {
        var files = env.WebRootFileProvider;
        app.MapGet("/chat", (HttpContext http) => Page(http, files, "chat/index.html")).ExcludeFromDescription();
        app.MapGet("/demo", (HttpContext http) => Page(http, files, "demo/index.html")).ExcludeFromDescription();
        app.MapGet("/console", (HttpContext http) => Page(http, files, "console/index.html")).ExcludeFromDescription();
        app.MapGet("/console/{**path:nonfile}", (HttpContext http) => Page(http, files, "console/index.html")).ExcludeFromDescription();
        app.MapGet("/", () => Results.Redirect("/demo")).ExcludeFromDescription();
        return app;
    }

    private static IResult Page(HttpContext http, IFileProvider files, string path)
    {
        var file = files.GetFileInfo(path);
        if (!file.Exists || file.PhysicalPath is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "The web apps are not built (built by dotnet build unless SkipWebBuild=true).");
        }
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return Results.File(file.PhysicalPath, "text/html; charset=utf-8");
    }
}

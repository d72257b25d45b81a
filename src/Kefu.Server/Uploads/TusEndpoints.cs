using Microsoft.Extensions.Options;

namespace Kefu.Server.Uploads;

/// <summary>The tus 1.0 routes (core, creation, termination, expiration) and the download.</summary>
internal static class TusEndpoints
{
    public const string BasePath = "/api/v1/uploads";

    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder app)
    {
        var tus = app.MapGroup(BasePath).WithTags("Uploads").AddEndpointFilter<TusProtocolFilter>().AllowAnonymous();
        tus.MapMethods("/", [HttpMethods.Options], Options).WithSummary("tus discovery: version, extensions and the largest upload.");
        tus.MapMethods("/{id}", [HttpMethods.Options], Options);
        tus.MapMethods("/{id}/thumbnail", [HttpMethods.Options], Options);
        tus.MapPost("/", (HttpContext http, TusUploads uploads) => uploads.CreateAsync(http))
            .WithSummary("tus creation: Upload-Length and Upload-Metadata (filename, filetype); 201 with Location.");
        tus.MapMethods("/{id}", [HttpMethods.Head], (string id, HttpContext http, TusUploads uploads) => uploads.HeadAsync(id, http))
            .WithSummary("tus: the upload's current offset, to resume from.");
        tus.MapPatch("/{id}", (string id, HttpContext http, TusPatch patch) => patch.AppendAsync(id, http))
            .WithSummary("tus: appends the body (application/offset+octet-stream) at Upload-Offset.");
        tus.MapDelete("/{id}", (string id, HttpContext http, TusUploads uploads) => uploads.DeleteAsync(id, http))
            .WithSummary("tus termination: removes the upload.");
        // Anonymous at the routing level: a signed link needs no token; without one, the handler asks for it.
        app.MapGet(BasePath + "/{id}", (string id, HttpContext http, UploadDownload download) => download.GetFileAsync(id, http))
            .WithTags("Uploads").AllowAnonymous()
            .WithSummary("Downloads a completed upload (its uploader, the participants of a conversation it was sent in, the tenant's agents, or a signed link); supports ranges.");
        app.MapGet(BasePath + "/{id}/thumbnail", (string id, HttpContext http, UploadDownload download) => download.GetThumbnailAsync(id, http))
            .WithTags("Uploads").AllowAnonymous()
            .WithSummary("An image upload's thumbnail (at most 320 px a side), for the same callers or a signed link.");
        return app;
    }

    private static IResult Options(HttpContext http, IOptions<UploadOptions> options)
    {
        var headers = http.Response.Headers;
        headers[Tus.VersionHeader] = Tus.Version;
        headers[Tus.ExtensionHeader] = Tus.Extensions;
        headers[Tus.MaxSizeHeader] = options.Value.MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.NoContent();
    }
}

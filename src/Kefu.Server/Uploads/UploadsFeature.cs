using Microsoft.Extensions.Options;

namespace Kefu.Server.Uploads;

internal static class UploadsFeature
{
    public static IServiceCollection AddKefuUploads(this IServiceCollection services)
    {
        services.AddOptions<UploadOptions>().BindConfiguration(UploadOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<UploadOptions>, UploadOptionsValidator>();
        services.AddSingleton<UploadPaths>();
        services.AddSingleton<IFileStorage>(sp =>
            string.Equals(sp.GetRequiredService<IOptions<UploadOptions>>().Value.Storage, UploadOptions.S3Storage, StringComparison.OrdinalIgnoreCase)
                ? ActivatorUtilities.CreateInstance<S3FileStorage>(sp)
                : ActivatorUtilities.CreateInstance<LocalFileStorage>(sp));
        services.AddSingleton<UploadStore>();
        services.AddSingleton<TusUploads>();
        services.AddSingleton<TusPatch>();
        services.AddSingleton<ImageProcessor>();
        services.AddSingleton<UploadCors>();
        services.AddSingleton<UploadPolicy>();
        services.AddSingleton<UploadLinks>();
        services.AddSingleton<AttachmentWriter>();
        services.AddSingleton<AttachmentResolver>();
        services.AddSingleton<UploadDownload>();
        services.AddSingleton<UploadCleanup>();
        services.AddHostedService(sp => sp.GetRequiredService<UploadCleanup>());
        return services;
    }

    public static IEndpointRouteBuilder MapKefuUploads(this IEndpointRouteBuilder app) => TusEndpoints.Map(app);
}

using Microsoft.Extensions.Options;

namespace Kefu.Server.Uploads;

internal sealed class UploadOptionsValidator : IValidateOptions<UploadOptions>
{
    private const long MaxUploadLimit = 1L << 40;

    public ValidateOptionsResult Validate(string? name, UploadOptions options)
    {
        var errors = new List<string>();
        if (options.MaxBytes < 1 || options.MaxBytes > MaxUploadLimit)
        {
            errors.Add($"{UploadOptions.Section}:MaxBytes must be between 1 and {MaxUploadLimit} (got {options.MaxBytes}).");
        }
        if (options.ExpirySeconds < 1 || options.ExpirySeconds > 365 * 86_400)
        {
            errors.Add($"{UploadOptions.Section}:ExpirySeconds must be between 1 and {365 * 86_400} (got {options.ExpirySeconds}).");
        }
        if (options.CleanupSeconds < 1 || options.CleanupSeconds > 86_400)
        {
            errors.Add($"{UploadOptions.Section}:CleanupSeconds must be between 1 and 86400 (got {options.CleanupSeconds}).");
        }
        if (options.MaxImagePixels < 1 || options.MaxImagePixels > 1_000_000_000)
        {
            errors.Add($"{UploadOptions.Section}:MaxImagePixels must be between 1 and 1000000000 (got {options.MaxImagePixels}).");
        }
        ValidateStorage(errors, options);
        Validate(errors, "Defaults", options.Defaults);
        foreach (var (siteKey, site) in options.Sites)
        {
            Validate(errors, "Sites:" + siteKey, site);
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateStorage(List<string> errors, UploadOptions options)
    {
        if (string.Equals(options.Storage, UploadOptions.LocalStorage, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        if (!string.Equals(options.Storage, UploadOptions.S3Storage, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{UploadOptions.Section}:Storage must be 'local' or 's3' (got '{options.Storage}').");
            return;
        }
        var s3 = options.S3;
        var section = UploadOptions.Section + ":S3";
        if (string.IsNullOrWhiteSpace(s3.Bucket))
        {
            errors.Add($"{UploadOptions.Section}:Storage is s3 but {section}:Bucket is not set.");
        }
        if (!string.IsNullOrEmpty(s3.ServiceUrl)
            && (!Uri.TryCreate(s3.ServiceUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            errors.Add($"{section}:ServiceUrl must be an absolute http(s) URL such as http://127.0.0.1:9000 (got '{s3.ServiceUrl}').");
        }
        if (string.IsNullOrWhiteSpace(s3.Region))
        {
            errors.Add($"{section}:Region must be set (us-east-1 suits most S3-compatible servers).");
        }
        if (string.IsNullOrEmpty(s3.AccessKey) != string.IsNullOrEmpty(s3.SecretKey))
        {
            errors.Add($"{section}:AccessKey and {section}:SecretKey go together: set both, or neither to use the AWS SDK's usual credential sources.");
        }
        if (s3.Prefix.Length > 200 || s3.Prefix.StartsWith('/'))
        {
            errors.Add($"{section}:Prefix must not start with '/' and has at most 200 characters (got '{s3.Prefix}').");
        }
    }

    private static void Validate(List<string> errors, string path, SiteUploadOptions? site)
    {
        if (site is null)
        {
            return;
        }
        foreach (var (name, value) in new[] { ("MaxBytes", site.MaxBytes), ("QuotaBytes", site.QuotaBytes), ("MaxImageBytes", site.MaxImageBytes), ("MaxVoiceBytes", site.MaxVoiceBytes), ("MaxFileBytes", site.MaxFileBytes) })
        {
            if (value is < 1)
            {
                errors.Add($"{UploadOptions.Section}:{path}:{name} must be at least 1 (got {value}).");
            }
        }
        foreach (var type in site.AllowedTypes ?? [])
        {
            var slash = type.IndexOf('/', StringComparison.Ordinal);
            if (slash < 1 || slash == type.Length - 1 || type.AsSpan(slash + 1).Contains('/') || type.Any(char.IsWhiteSpace))
            {
                errors.Add($"{UploadOptions.Section}:{path}:AllowedTypes has '{type}'; use a content type such as image/png or image/*.");
            }
        }
    }
}

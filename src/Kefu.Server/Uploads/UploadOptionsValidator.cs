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
        Validate(errors, "Defaults", options.Defaults);
        foreach (var (siteKey, site) in options.Sites)
        {
            Validate(errors, "Sites:" + siteKey, site);
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
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

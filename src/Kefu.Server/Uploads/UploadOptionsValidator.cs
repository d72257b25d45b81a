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
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

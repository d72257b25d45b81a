using Microsoft.Extensions.Options;

namespace Kefu.Server.Bots;

internal sealed class BotOptionsValidator : IValidateOptions<BotOptions>
{
    public ValidateOptionsResult Validate(string? name, BotOptions options)
    {
        var errors = new List<string>();
        if (options.BotTimeoutSeconds is <= 0 or > 600)
        {
            errors.Add($"Kefu:Bot:BotTimeoutSeconds must be between 0 and 600 (got {options.BotTimeoutSeconds}).");
        }
        if (options.IdleCloseMinutes is < 0 or > 100_000)
        {
            errors.Add($"Kefu:Bot:IdleCloseMinutes must be between 0 and 100000 (got {options.IdleCloseMinutes}).");
        }
        if (options.AgentCheckSeconds is < 0 or > 3600 || options.AgentCheckSeconds is > 0 and < 0.2)
        {
            errors.Add($"Kefu:Bot:AgentCheckSeconds must be 0 (off) or between 0.2 and 3600 (got {options.AgentCheckSeconds}).");
        }
        if (options.HistoryMessages is < 0 or > 200)
        {
            errors.Add($"Kefu:Bot:HistoryMessages must be between 0 and 200 (got {options.HistoryMessages}).");
        }
        if (options.Llm.TimeoutSeconds is <= 0 or > 600)
        {
            errors.Add($"Kefu:Bot:Llm:TimeoutSeconds must be between 0 and 600 (got {options.Llm.TimeoutSeconds}).");
        }
        var configured = !string.IsNullOrWhiteSpace(options.Llm.BaseUrl) && !string.IsNullOrWhiteSpace(options.Llm.Model);
        if (configured && (!Uri.TryCreate(options.Llm.BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            errors.Add($"Kefu:Bot:Llm:BaseUrl must be an absolute http(s) URL such as http://127.0.0.1:11434/v1 (got '{options.Llm.BaseUrl}').");
        }
        if (string.IsNullOrWhiteSpace(options.Llm.BaseUrl) != string.IsNullOrWhiteSpace(options.Llm.Model))
        {
            errors.Add("Kefu:Bot:Llm needs both BaseUrl and Model (or neither, to leave the model off).");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Kefu.Bots.Llm;

/// <summary>Builds the <see cref="IChatClient"/> for an OpenAI-compatible endpoint; the caller owns and disposes it.</summary>
public static class LlmChatClientFactory
{
    public static IChatClient Create(LlmOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!options.IsConfigured)
        {
            throw new InvalidOperationException("The bot LLM is not configured (BaseUrl and Model).");
        }
        var client = new OpenAIClient(
            new ApiKeyCredential(string.IsNullOrEmpty(options.ApiKey) ? "none" : options.ApiKey),
            new OpenAIClientOptions
            {
                Endpoint = new Uri(options.BaseUrl!),
                // Retries would multiply the wait while the model is down; the circuit breaker decides instead.
                RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
                NetworkTimeout = options.Timeout + TimeSpan.FromSeconds(1),
            });
        return client.GetChatClient(options.Model!).AsIChatClient();
    }
}

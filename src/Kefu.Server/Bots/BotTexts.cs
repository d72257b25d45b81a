namespace Kefu.Server.Bots;

/// <summary>What the bot says when the site's settings do not say otherwise, in Chinese or English.</summary>
internal static class BotTexts
{
    public static string BotName(bool english) => english ? "Assistant" : "智能客服";

    public static string Welcome(bool english) => english
        ? "Hi! I'm the virtual assistant. Ask me anything, or type \"agent\" to talk to a person."
        : "您好，我是智能客服，请问有什么可以帮您？需要人工服务请回复“转人工”。";

    public static string Unknown(bool english) => english
        ? "Sorry, I don't know the answer to that yet. You can rephrase it, or talk to an agent."
        : "抱歉，这个问题我还不会回答。您可以换个说法，或转人工客服。";

    public static string HandoffButtonLabel(bool english) => english ? "Talk to an agent" : "转人工";

    public static string HandoffButtonValue(bool english) => english ? "talk to an agent" : "转人工";

    public static string GivingUp(bool english) => english
        ? "I can't answer this one. Connecting you with an agent, one moment please."
        : "这个问题我暂时无法解答，正在为您转接人工客服，请稍候。";

    /// <summary>Chinese when the text has a CJK ideograph; English otherwise.</summary>
    public static bool IsEnglish(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }
        foreach (var c in text)
        {
            if (c is >= '\u4e00' and <= '\u9fff' or >= '\u3400' and <= '\u4dbf')
            {
                return false;
            }
        }
        return true;
    }
}

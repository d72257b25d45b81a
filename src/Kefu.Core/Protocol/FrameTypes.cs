namespace Kefu.Core.Protocol;

public static class FrameTypes
{
    public const string Hello = "hello";
    public const string Send = "send";
    public const string Sync = "sync";
    public const string Delivered = "delivered";
    public const string Read = "read";
    public const string Typing = "typing";
    public const string Watch = "watch";
    public const string Page = "page";
    public const string Ping = "ping";

    public const string Welcome = "welcome";
    public const string Ack = "ack";
    public const string Message = "message";
    public const string Messages = "messages";
    public const string Conversation = "conversation";
    public const string Receipt = "receipt";
    public const string Pong = "pong";
    public const string Error = "error";
}

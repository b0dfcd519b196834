<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About {0}</source>
        <translation>关于 {0}</translation>
    </message>
    <message>
        <source>{0} icon</source>
        <translation>{0} 图标</translation>
    </message>
    <message>
        <source>Version {0}</source>
        <translation>版本 {0}</translation>
    </message>
    <message>
        <source>A desktop chat client for OpenAI and OpenAI-compatible APIs.</source>
        <translation>适用于 OpenAI 及 OpenAI 兼容 API 的桌面聊天客户端。</translation>
    </message>
    <message>
        <source>Released under the {0} license.</source>
        <translation>以 {0} 许可证发布。</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <source>Logs</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>{0} folder</source>
        <translation>“{0}”文件夹</translation>
    </message>
    <message>
        <source>Copy diagnostics</source>
        <translation>复制诊断信息</translation>
    </message>
    <message>
        <source>Copies versions, platform and these folders (never an API key) for a bug report</source>
        <translation>复制版本、平台和这些文件夹（绝不包含 API 密钥），用于错误报告</translation>
    </message>
    <message>
        <source>Copy status</source>
        <translation>复制状态</translation>
    </message>
    <message>
        <source>Copied to the clipboard.</source>
        <translation>已复制到剪贴板。</translation>
    </message>
</context>
<context>
    <name>Application</name>
    <message>
        <source>Conversations will not be saved in this session.</source>
        <translation>本次会话中的对话将不会被保存。</translation>
    </message>
    <message>
        <source>The MCP servers of {0} were not loaded: {1}</source>
        <translation>未能加载 {0} 中的 MCP 服务器：{1}</translation>
    </message>
    <message>
        <source>An answer is still coming: export when it has ended.</source>
        <translation>回答仍在生成中：请在结束后再导出。</translation>
    </message>
    <message>
        <source>Chosen by the assistant “{0}”</source>
        <translation>由助手“{0}”选择</translation>
    </message>
    <message>
        <source>The provider the next message goes to</source>
        <translation>下一条消息将发送到的服务商</translation>
    </message>
    <message>
        <source>The assistant of this conversation was deleted: it goes on with “{0}”.</source>
        <translation>此对话的助手已被删除：将改用“{0}”继续。</translation>
    </message>
    <message>
        <source>{0} at {1} (command line)</source>
        <translation>{1} 上的 {0}（命令行）</translation>
    </message>
    <message>
        <source>No provider is set up.</source>
        <translation>尚未设置服务商。</translation>
    </message>
    <message>
        <source>The assistant “{0}” was deleted: this conversation goes on with “{1}”.</source>
        <translation>助手“{0}”已被删除：此对话将改用“{1}”继续。</translation>
    </message>
    <message>
        <source>Something went wrong inside {0}: {1}. Your conversation is safe. Details are in the log: {2}</source>
        <translation>{0} 内部出现错误：{1}。您的对话是安全的。详细信息见日志：{2}</translation>
    </message>
</context>
<context>
    <name>Assistants</name>
    <message>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
    <message>
        <source>Answers with the provider&apos;s settings</source>
        <translation>使用服务商的设置回答</translation>
    </message>
    <message>
        <source>{0}: “{1}” should be text.</source>
        <translation>{0}：“{1}”应为文本。</translation>
    </message>
    <message>
        <source>{0}: “{1}” should be a number.</source>
        <translation>{0}：“{1}”应为数字。</translation>
    </message>
    <message>
        <source>{0}: “{1}” should be a whole number.</source>
        <translation>{0}：“{1}”应为整数。</translation>
    </message>
    <message>
        <source>an assistant</source>
        <translation>某个助手</translation>
    </message>
    <message>
        <source>{0} is not an object.</source>
        <translation>{0} 不是对象。</translation>
    </message>
    <message>
        <source>{0}: “mcp_servers” should be a list of names.</source>
        <translation>{0}：“mcp_servers”应为名称列表。</translation>
    </message>
    <message>
        <source>{0}: “profile_id” should be text.</source>
        <translation>{0}：“profile_id”应为文本。</translation>
    </message>
    <message>
        <source>This is not a JSON file ({0}).</source>
        <translation>这不是 JSON 文件（{0}）。</translation>
    </message>
    <message>
        <source>This file holds no assistants (no “assistants” list).</source>
        <translation>此文件不包含助手（没有“assistants”列表）。</translation>
    </message>
    <message>
        <source>Assistant {0}</source>
        <translation>助手 {0}</translation>
    </message>
    <message>
        <source>Temperature must be a number from 0 to 2, or empty.</source>
        <translation>温度必须是 0 到 2 之间的数字，或留空。</translation>
    </message>
    <message>
        <source>Top-p must be a number above 0, at most 1, or empty.</source>
        <translation>Top-p 必须是大于 0 且不超过 1 的数字，或留空。</translation>
    </message>
    <message>
        <source>Max tokens must be a positive whole number, or empty.</source>
        <translation>最大 token 数必须是正整数，或留空。</translation>
    </message>
</context>
<context>
    <name>AssistantsPage</name>
    <message>
        <source>Assistants</source>
        <translation>助手</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Add assistant</source>
        <translation>添加助手</translation>
    </message>
    <message>
        <source>Duplicate assistant</source>
        <translation>复制助手</translation>
    </message>
    <message>
        <source>Delete assistant</source>
        <translation>删除助手</translation>
    </message>
    <message>
        <source>Move assistant up</source>
        <translation>将助手上移</translation>
    </message>
    <message>
        <source>Move assistant down</source>
        <translation>将助手下移</translation>
    </message>
    <message>
        <source>Import assistants</source>
        <translation>导入助手</translation>
    </message>
    <message>
        <source>Export assistants</source>
        <translation>导出助手</translation>
    </message>
    <message>
        <source>Assistant icon</source>
        <translation>助手图标</translation>
    </message>
    <message>
        <source>Assistant name</source>
        <translation>助手名称</translation>
    </message>
    <message>
        <source>Assistant description</source>
        <translation>助手描述</translation>
    </message>
    <message>
        <source>Assistant provider</source>
        <translation>助手的服务商</translation>
    </message>
    <message>
        <source>Assistant model</source>
        <translation>助手的模型</translation>
    </message>
    <message>
        <source>the provider&apos;s model</source>
        <translation>服务商的模型</translation>
    </message>
    <message>
        <source>Assistant temperature</source>
        <translation>助手的温度</translation>
    </message>
    <message>
        <source>Assistant top-p</source>
        <translation>助手的 Top-p</translation>
    </message>
    <message>
        <source>Assistant max tokens</source>
        <translation>助手的最大 token 数</translation>
    </message>
    <message>
        <source>the provider&apos;s</source>
        <translation>使用服务商的设置</translation>
    </message>
    <message>
        <source>Assistant system prompt</source>
        <translation>助手的系统提示词</translation>
    </message>
    <message>
        <source>How the model should answer. Empty: the provider&apos;s system prompt.</source>
        <translation>模型应如何回答。留空：使用服务商的系统提示词。</translation>
    </message>
    <message>
        <source>Assistant MCP servers</source>
        <translation>助手的 MCP 服务器</translation>
    </message>
    <message>
        <source>Assistant problem</source>
        <translation>助手问题</translation>
    </message>
    <message>
        <source>An assistant&apos;s empty fields take the provider&apos;s settings. A conversation keeps the assistant it was started with; pick another one for it above the message box.</source>
        <translation>助手留空的字段使用服务商的设置。对话会保留开始时使用的助手；可在消息框上方为它选择另一个。</translation>
    </message>
    <message>
        <source>The provider chosen beside the message box</source>
        <translation>消息框旁选择的服务商</translation>
    </message>
    <message>
        <source>Icon</source>
        <translation>图标</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>服务商</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <source>Max tokens</source>
        <translation>最大 token 数</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <source>MCP tools</source>
        <translation>MCP 工具</translation>
    </message>
    <message>
        <source>(unnamed)</source>
        <translation>（未命名）</translation>
    </message>
    <message>
        <source>New assistant</source>
        <translation>新助手</translation>
    </message>
    <message>
        <source>Could not read {path}: {why}</source>
        <translation>无法读取 {path}：{why}</translation>
    </message>
    <message>
        <source>Nothing was imported from {path}: {why}</source>
        <translation>未从 {path} 导入任何内容：{why}</translation>
    </message>
    <message>
        <source>Could not write {path}: {why}</source>
        <translation>无法写入 {path}：{why}</translation>
    </message>
    <message>
        <source>JSON (*.json);;*</source>
        <translation>JSON (*.json);;*</translation>
    </message>
    <message>
        <source>(a deleted provider)</source>
        <translation>（已删除的服务商）</translation>
    </message>
    <message>
        <source>None ticked: the tools of every enabled MCP server.</source>
        <translation>未勾选：使用所有已启用 MCP 服务器的工具。</translation>
    </message>
    <message>
        <source>No MCP servers yet (see the MCP servers page).</source>
        <translation>尚无 MCP 服务器（见“MCP 服务器”页）。</translation>
    </message>
</context>
<context>
    <name>AttachmentOpener</name>
    <message>
        <source>This file is no longer in the history&apos;s folder, so it cannot be shown.</source>
        <translation>此文件已不在历史记录文件夹中，因此无法显示。</translation>
    </message>
    <message>
        <source>No program to show %1 was found.</source>
        <translation>未找到可显示 %1 的程序。</translation>
    </message>
    <message>
        <source>“%1” could not be shown: %2</source>
        <translation>无法显示“%1”：%2</translation>
    </message>
</context>
<context>
    <name>AttachmentStrip</name>
    <message>
        <source>Image, %1 pixels</source>
        <translation>图片，%1 像素</translation>
    </message>
    <message>
        <source>1 page</source>
        <translation>1 页</translation>
    </message>
    <message>
        <source>%1 pages</source>
        <translation>%1 页</translation>
    </message>
    <message>
        <source>Open %1</source>
        <translation>打开 %1</translation>
    </message>
</context>
<context>
    <name>AttachmentTray</name>
    <message>
        <source>Attachment {name}</source>
        <translation>附件 {name}</translation>
    </message>
    <message>
        <source>Remove {name}</source>
        <translation>移除 {name}</translation>
    </message>
    <message>
        <source>{name} · reading…</source>
        <translation>{name} · 正在读取…</translation>
    </message>
    <message numerus="yes">
        <source>%n page(s)</source>
        <translation>
            <numerusform>%n 页</numerusform>
        </translation>
    </message>
    <message>
        <source>~{tokens} tokens</source>
        <translation>约 {tokens} token</translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation>附件</translation>
    </message>
    <message>
        <source>Pasted image.png</source>
        <translation>粘贴的图片.png</translation>
    </message>
    <message>
        <source>“{name}” could not be attached ({error}).</source>
        <translation>无法附加“{name}”（{error}）。</translation>
    </message>
</context>
<context>
    <name>Attachments</name>
    <message>
        <source>{0} MB</source>
        <translation>{0} MB</translation>
    </message>
    <message>
        <source>{0} kB</source>
        <translation>{0} kB</translation>
    </message>
    <message numerus="yes">
        <source>%n byte(s)</source>
        <translation>
            <numerusform>%n 字节</numerusform>
        </translation>
    </message>
    <message>
        <source>“{0}” is not a file, so it was not added.</source>
        <translation>“{0}”不是文件，因此未添加。</translation>
    </message>
    <message>
        <source>“{0}” could not be read ({1}), so it was not added.</source>
        <translation>无法读取“{0}”（{1}），因此未添加。</translation>
    </message>
    <message>
        <source>“{0}” is empty, so it was not added.</source>
        <translation>“{0}”为空，因此未添加。</translation>
    </message>
    <message>
        <source>“{0}” is not a valid {1} file (its content does not match its name), so it was not added.</source>
        <translation>“{0}”不是有效的 {1} 文件（内容与文件名不符），因此未添加。</translation>
    </message>
    <message>
        <source>“{0}” is {1}: larger than the {2} an attachment may be, so it was not added.</source>
        <translation>“{0}”大小为 {1}：超过附件上限 {2}，因此未添加。</translation>
    </message>
    <message>
        <source>“{0}” could not be read as an image: it is damaged or incomplete, so it was not added.</source>
        <translation>无法将“{0}”读取为图片：文件已损坏或不完整，因此未添加。</translation>
    </message>
    <message>
        <source>“{0}” says it is {1:,} × {2:,} pixels: too large to open safely, so it was not added.</source>
        <translation>“{0}”声称尺寸为 {1:,} × {2:,} 像素：过大，无法安全打开，因此未添加。</translation>
    </message>
    <message>
        <source>“{0}” is too large an image to open safely, so it was not added.</source>
        <translation>“{0}”图片过大，无法安全打开，因此未添加。</translation>
    </message>
    <message>
        <source>“{0}” is not a text file (it looks binary), so it was not added. Images, PDFs, Word documents (.docx) and text files can be attached.</source>
        <translation>“{0}”不是文本文件（看起来是二进制文件），因此未添加。可以附加图片、PDF、Word 文档（.docx）和文本文件。</translation>
    </message>
    <message>
        <source>Reading Word documents needs the optional python-docx package (pip install &quot;zlay-desktop[docx]&quot;)</source>
        <translation>读取 Word 文档需要可选的 python-docx 包（pip install &quot;zlay-desktop[docx]&quot;）</translation>
    </message>
    <message>
        <source>“{0}” could not be read as a Word document (.docx): it is damaged or not really one, so it was not added.</source>
        <translation>无法将“{0}”读取为 Word 文档（.docx）：文件已损坏或并非 Word 文档，因此未添加。</translation>
    </message>
    <message>
        <source>{0}, so “{1}” was not added.</source>
        <translation>{0}，因此未添加“{1}”。</translation>
    </message>
    <message>
        <source>“{0}” unpacks to {1}: too large to open safely, so it was not added.</source>
        <translation>“{0}”解压后为 {1}：过大，无法安全打开，因此未添加。</translation>
    </message>
    <message>
        <source>“{0}” has no text, so it was not added.</source>
        <translation>“{0}”没有文本，因此未添加。</translation>
    </message>
    <message>
        <source>“{0}” holds {1:,} characters of text: more than a model can take (the limit is {2:,}), so it was not added.</source>
        <translation>“{0}”包含 {1:,} 个字符的文本：超出模型可接受的上限（{2:,}），因此未添加。</translation>
    </message>
    <message>
        <source>“{0}” could not be read as a PDF: it is damaged, so it was not added.</source>
        <translation>无法将“{0}”读取为 PDF：文件已损坏，因此未添加。</translation>
    </message>
    <message>
        <source>“{0}” is protected by a password, so its text could not be read and it was not added.</source>
        <translation>“{0}”受密码保护，无法读取其文本，因此未添加。</translation>
    </message>
    <message>
        <source>“{0}” has {1:,} pages: more than the {2:,} an attachment may have, so it was not added.</source>
        <translation>“{0}”有 {1:,} 页：超过附件允许的 {2:,} 页，因此未添加。</translation>
    </message>
    <message>
        <source>“{0}” has no pages, so it was not added.</source>
        <translation>“{0}”没有页面，因此未添加。</translation>
    </message>
    <message>
        <source>“{0}” ({1}) has no text layer: it looks scanned, so it was not added. Attach its pages as images instead, for a model that reads images.</source>
        <translation>“{0}”（{1}）没有文本层：看起来是扫描件，因此未添加。请改为将其页面作为图片附加，并使用能读取图片的模型。</translation>
    </message>
    <message numerus="yes">
        <source>%n page(s)</source>
        <translation>
            <numerusform>%n 页</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ChatController</name>
    <message>
        <source>This profile&apos;s model does not accept images (see Settings, “The model accepts images”). Remove the images, or choose another profile; nothing was sent.</source>
        <translation>此配置的模型不接受图片（见设置中的“模型接受图片”）。请移除图片或选择其他配置；未发送任何内容。</translation>
    </message>
    <message>
        <source>Could not open the conversation: {0}</source>
        <translation>无法打开对话：{0}</translation>
    </message>
</context>
<context>
    <name>ChatError</name>
    <message>
        <source>{0} answered with a web page (HTTP {1}), not an API. A proxy or gateway may be in the way, or the base URL is wrong.</source>
        <translation>{0} 返回了网页（HTTP {1}），而不是 API。可能有代理或网关阻隔，或基础 URL 有误。</translation>
    </message>
    <message>
        <source>The API key was rejected (HTTP 401). Check the key in Settings.</source>
        <translation>API 密钥被拒绝（HTTP 401）。请在设置中检查密钥。</translation>
    </message>
    <message>
        <source>Access was denied (HTTP 403): the key may lack permission for this model or the account may be restricted.</source>
        <translation>访问被拒绝（HTTP 403）：该密钥可能无权使用此模型，或账户受到限制。</translation>
    </message>
    <message>
        <source>Not found (HTTP 404): the model &apos;{0}&apos; does not exist on this server, or the base URL is wrong (it usually ends in /v1).</source>
        <translation>未找到（HTTP 404）：此服务器上不存在模型“{0}”，或基础 URL 有误（通常以 /v1 结尾）。</translation>
    </message>
    <message>
        <source>Not found (HTTP 404): the model does not exist on this server, or the base URL is wrong (it usually ends in /v1).</source>
        <translation>未找到（HTTP 404）：此服务器上不存在该模型，或基础 URL 有误（通常以 /v1 结尾）。</translation>
    </message>
    <message>
        <source>Rate limited (HTTP 429): the server asks to slow down.</source>
        <translation>请求受限（HTTP 429）：服务器要求降低请求频率。</translation>
    </message>
    <message>
        <source>Try again in {0} s.</source>
        <translation>请在 {0} 秒后重试。</translation>
    </message>
    <message>
        <source>The server refused the request (HTTP {0}): {1}</source>
        <translation>服务器拒绝了请求（HTTP {0}）：{1}</translation>
    </message>
    <message>
        <source>bad request</source>
        <translation>请求无效</translation>
    </message>
    <message>
        <source>The server had an error (HTTP {0}). It is not your fault; try again.</source>
        <translation>服务器出错（HTTP {0}）。这不是您的问题，请重试。</translation>
    </message>
    <message>
        <source>Unexpected answer from the server (HTTP {0}).</source>
        <translation>服务器返回了意外的响应（HTTP {0}）。</translation>
    </message>
    <message>
        <source>A secure connection to {0} could not be made (TLS): the certificate is not trusted or the server does not speak HTTPS.</source>
        <translation>无法与 {0} 建立安全连接（TLS）：证书不受信任，或服务器不支持 HTTPS。</translation>
    </message>
    <message>
        <source>Could not connect to {0} in time: the server is down or unreachable.</source>
        <translation>未能及时连接到 {0}：服务器已关闭或无法访问。</translation>
    </message>
    <message>
        <source>No data from the server for {0} s: it stopped answering.</source>
        <translation>服务器已 {0} 秒没有发送数据：已停止响应。</translation>
    </message>
    <message>
        <source>No data from the server: it stopped answering.</source>
        <translation>服务器没有发送数据：已停止响应。</translation>
    </message>
    <message>
        <source>The server name in {0} could not be found (DNS). Check the base URL.</source>
        <translation>找不到 {0} 中的服务器名称（DNS）。请检查基础 URL。</translation>
    </message>
    <message>
        <source>Nothing is listening at {0}: is the server running?</source>
        <translation>{0} 上没有服务在监听：服务器是否在运行？</translation>
    </message>
    <message>
        <source>The proxy refused or failed the connection.</source>
        <translation>代理拒绝了连接或连接失败。</translation>
    </message>
    <message>
        <source>The connection to {0} was lost.</source>
        <translation>与 {0} 的连接已断开。</translation>
    </message>
    <message>
        <source>The server sent data that could not be read (not valid JSON).</source>
        <translation>服务器发送的数据无法读取（不是有效的 JSON）。</translation>
    </message>
    <message>
        <source>The server reported an error: {0}</source>
        <translation>服务器报告了错误：{0}</translation>
    </message>
    <message>
        <source>Something unexpected went wrong: {0}. Details are in the log.</source>
        <translation>发生意外错误：{0}。详细信息见日志。</translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation>未知错误</translation>
    </message>
    <message>
        <source>The server reported an error while answering: {0}</source>
        <translation>服务器在回答时报告了错误：{0}</translation>
    </message>
    <message>
        <source>The connection ended before the answer was complete (no finish signal from the server).</source>
        <translation>回答尚未完成连接就已结束（服务器未发送结束信号）。</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>{0} ({1} characters)</source>
        <translation>{0}（{1} 个字符）</translation>
    </message>
    <message>
        <source>Message composer</source>
        <translation>消息输入框</translation>
    </message>
    <message>
        <source>Message  (Enter to send, Shift+Enter for a new line)</source>
        <translation>消息（按 Enter 发送，Shift+Enter 换行）</translation>
    </message>
    <message>
        <source>Large paste</source>
        <translation>大段粘贴</translation>
    </message>
    <message>
        <source>Large paste size</source>
        <translation>粘贴内容大小</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Send with the pasted text</source>
        <translation>连同粘贴的文本一起发送</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Remove the pasted text</source>
        <translation>移除粘贴的文本</translation>
    </message>
    <message>
        <source>Attach files</source>
        <translation>附加文件</translation>
    </message>
    <message>
        <source>Attach images, PDFs or text files</source>
        <translation>附加图片、PDF 或文本文件</translation>
    </message>
    <message>
        <source>Images, PDFs, Word and text (*.png *.jpg *.jpeg *.gif *.webp *.bmp *.pdf *.docx *.txt *.md *.csv *.json *.py *.js *.ts *.html *.css *.xml *.yaml *.yml *.log);;All files (*)</source>
        <translation>图片、PDF、Word 和文本 (*.png *.jpg *.jpeg *.gif *.webp *.bmp *.pdf *.docx *.txt *.md *.csv *.json *.py *.js *.ts *.html *.css *.xml *.yaml *.yml *.log);;所有文件 (*)</translation>
    </message>
    <message>
        <source>The pasted text is {0}: too long to send (the limit is {1} characters). It was not added.</source>
        <translation>粘贴的文本大小为 {0}：过长，无法发送（上限为 {1} 个字符）。未添加。</translation>
    </message>
    <message>
        <source>Pasted text: {0}. It is sent before what you type below; it is not shown in the box, to keep the window quick.</source>
        <translation>粘贴的文本：{0}。它会在您下方输入的内容之前发送；为保持窗口流畅，不在输入框中显示。</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>ConnectionTest</name>
    <message>
        <source>this URL does not look like an OpenAI-compatible API: check the path, it usually ends in /v1</source>
        <translation>此 URL 看起来不像 OpenAI 兼容的 API：请检查路径，通常以 /v1 结尾</translation>
    </message>
    <message>
        <source>this URL answered with a web page, not an API</source>
        <translation>此 URL 返回的是网页，而不是 API</translation>
    </message>
    <message>
        <source>Server reachable</source>
        <translation>服务器可访问</translation>
    </message>
    <message>
        <source>API key accepted</source>
        <translation>API 密钥已接受</translation>
    </message>
    <message>
        <source>Model exists</source>
        <translation>模型存在</translation>
    </message>
    <message>
        <source>Completion works</source>
        <translation>补全正常</translation>
    </message>
    <message>
        <source>Streaming works</source>
        <translation>流式传输正常</translation>
    </message>
    <message>
        <source>no answer</source>
        <translation>无响应</translation>
    </message>
    <message>
        <source>the server did not list its models (HTTP {0}); type the model name</source>
        <translation>服务器未列出其模型（HTTP {0}）；请输入模型名称</translation>
    </message>
    <message>
        <source>this URL redirects (HTTP {0}) to {1}; use the final address as the base URL</source>
        <translation>此 URL 重定向（HTTP {0}）到 {1}；请使用最终地址作为基础 URL</translation>
    </message>
    <message>
        <source>{0} answered (HTTP {1})</source>
        <translation>{0} 已响应（HTTP {1}）</translation>
    </message>
    <message>
        <source>could not be checked: the server did not answer</source>
        <translation>无法检查：服务器没有响应</translation>
    </message>
    <message>
        <source>could not be checked: {0}</source>
        <translation>无法检查：{0}</translation>
    </message>
    <message>
        <source>no model is set: choose or type a model name</source>
        <translation>未设置模型：请选择或输入模型名称</translation>
    </message>
    <message>
        <source>the server lists the model &apos;{0}&apos;</source>
        <translation>服务器列出了模型“{0}”</translation>
    </message>
    <message>
        <source> (it is not in the server&apos;s model list)</source>
        <translation>（不在服务器的模型列表中）</translation>
    </message>
    <message>
        <source>the server accepted the model &apos;{0}&apos;{1}</source>
        <translation>服务器接受了模型“{0}”{1}</translation>
    </message>
    <message>
        <source>the model &apos;{0}&apos; does not exist on this server</source>
        <translation>此服务器上不存在模型“{0}”</translation>
    </message>
    <message>
        <source>; it offers: {0}</source>
        <translation>；可用的有：{0}</translation>
    </message>
    <message>
        <source>could not be checked: see the completion below</source>
        <translation>无法检查：见下方的补全结果</translation>
    </message>
    <message>
        <source>the server answered, but not with a chat completion</source>
        <translation>服务器有响应，但不是聊天补全</translation>
    </message>
    <message>
        <source>a one-token request was answered</source>
        <translation>单个 token 的请求已得到回答</translation>
    </message>
    <message>
        <source>the streaming request returned no data</source>
        <translation>流式请求没有返回数据</translation>
    </message>
    <message>
        <source>first chunk after {0}</source>
        <translation>首个数据块用时 {0}</translation>
    </message>
    <message>
        <source>the API key was accepted</source>
        <translation>API 密钥已被接受</translation>
    </message>
    <message>
        <source>the server did not ask for an API key</source>
        <translation>服务器没有要求 API 密钥</translation>
    </message>
    <message>
        <source>{0} (HTTP {1}); a proxy, a login page or a wrong address may be in the way</source>
        <translation>{0}（HTTP {1}）；可能是代理、登录页面或错误的地址所致</translation>
    </message>
    <message>
        <source>no streamed data within {0:g} s</source>
        <translation>{0:g} 秒内没有流式数据</translation>
    </message>
    <message>
        <source>the stream contained data that is not JSON</source>
        <translation>流中包含非 JSON 数据</translation>
    </message>
    <message>
        <source>the stream reported an error: {0}</source>
        <translation>流报告了错误：{0}</translation>
    </message>
    <message>
        <source>this server needs an API key, and none is set (HTTP {0})</source>
        <translation>此服务器需要 API 密钥，但尚未设置（HTTP {0}）</translation>
    </message>
    <message>
        <source>the API key was rejected (HTTP {0})</source>
        <translation>API 密钥被拒绝（HTTP {0}）</translation>
    </message>
    <message>
        <source>the API key was rejected (HTTP {0}){1}</source>
        <translation>API 密钥被拒绝（HTTP {0}）{1}</translation>
    </message>
    <message>
        <source>the server answered &apos;not found&apos; (HTTP 404){0}</source>
        <translation>服务器返回“未找到”（HTTP 404）{0}</translation>
    </message>
    <message>
        <source>; it asks to wait {0} s</source>
        <translation>；要求等待 {0} 秒</translation>
    </message>
    <message>
        <source>the server is rate limiting requests (HTTP 429){0}{1}</source>
        <translation>服务器正在限制请求频率（HTTP 429）{0}{1}</translation>
    </message>
    <message>
        <source>the server reported an error (HTTP {0}){1}</source>
        <translation>服务器报告了错误（HTTP {0}）{1}</translation>
    </message>
    <message>
        <source>the server answered with something that is not an API response</source>
        <translation>服务器返回的内容不是 API 响应</translation>
    </message>
    <message>
        <source>the server refused the request (HTTP {0}){1}</source>
        <translation>服务器拒绝了请求（HTTP {0}）{1}</translation>
    </message>
    <message>
        <source> (via the proxy {0})</source>
        <translation>（通过代理 {0}）</translation>
    </message>
    <message>
        <source>the proxy {0} refused or failed the connection</source>
        <translation>代理 {0} 拒绝了连接或连接失败</translation>
    </message>
    <message>
        <source>the host name &apos;{0}&apos; could not be found (DNS){1}</source>
        <translation>找不到主机名“{0}”（DNS）{1}</translation>
    </message>
    <message>
        <source>the TLS certificate of {0} could not be verified{1}</source>
        <translation>无法验证 {0} 的 TLS 证书{1}</translation>
    </message>
    <message>
        <source>the TLS (https) handshake with {0} failed; is it really https?</source>
        <translation>与 {0} 的 TLS（https）握手失败；它真的是 https 吗？</translation>
    </message>
    <message>
        <source>nothing is listening at {0}{1}</source>
        <translation>{0} 上没有服务在监听{1}</translation>
    </message>
    <message>
        <source>no connection to {0} within {1:g} s{2}</source>
        <translation>{1:g} 秒内未能连接到 {0}{2}</translation>
    </message>
    <message>
        <source>the server at {0} accepted the connection but did not answer within {1:g} s</source>
        <translation>{0} 上的服务器接受了连接，但未在 {1:g} 秒内响应</translation>
    </message>
    <message>
        <source>the server at {0} closed the connection without an HTTP answer</source>
        <translation>{0} 上的服务器未返回 HTTP 响应就关闭了连接</translation>
    </message>
    <message>
        <source>the connection to {0} was reset</source>
        <translation>与 {0} 的连接被重置</translation>
    </message>
    <message>
        <source>could not connect to {0}{1}{2}</source>
        <translation>无法连接到 {0}{1}{2}</translation>
    </message>
    <message>
        <source>could not connect to {0} ({1}){2}</source>
        <translation>无法连接到 {0}（{1}）{2}</translation>
    </message>
    <message numerus="yes">
        <source>{0} and %n more</source>
        <translation>
            <numerusform>{0} 等另外 %n 个</numerusform>
        </translation>
    </message>
    <message>
        <source>{0} ms</source>
        <translation>{0} 毫秒</translation>
    </message>
    <message>
        <source>{0} s</source>
        <translation>{0} 秒</translation>
    </message>
</context>
<context>
    <name>ConnectionTestPanel</name>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Cancel test</source>
        <translation>取消测试</translation>
    </message>
    <message>
        <source>Connection test status</source>
        <translation>连接测试状态</translation>
    </message>
    <message>
        <source>Untick “This server needs an API key”</source>
        <translation>取消勾选“此服务器需要 API 密钥”</translation>
    </message>
    <message>
        <source>This server needs no API key</source>
        <translation>此服务器不需要 API 密钥</translation>
    </message>
    <message>
        <source>Connection test results</source>
        <translation>连接测试结果</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>正在测试…</translation>
    </message>
    <message>
        <source>✓ All checks passed.</source>
        <translation>✓ 所有检查均已通过。</translation>
    </message>
    <message>
        <source>✗ The server did not ask for an API key, but this profile needs one and has none, so Send would fail. If the server needs no key, untick “This server needs an API key”.</source>
        <translation>✗ 服务器没有要求 API 密钥，但此配置需要一个却未设置，因此发送会失败。如果服务器不需要密钥，请取消勾选“此服务器需要 API 密钥”。</translation>
    </message>
    <message>
        <source>✗ Send would fail: {0}</source>
        <translation>✗ 发送将会失败：{0}</translation>
    </message>
    <message>
        <source>“This server needs an API key” is unticked: press OK to save.</source>
        <translation>已取消勾选“此服务器需要 API 密钥”：按“确定”保存。</translation>
    </message>
    <message>
        <source>The test stopped unexpectedly: {0}</source>
        <translation>测试意外停止：{0}</translation>
    </message>
    <message>
        <source>Test cancelled.</source>
        <translation>测试已取消。</translation>
    </message>
    <message>
        <source>{0} ms</source>
        <translation>{0} 毫秒</translation>
    </message>
    <message>
        <source>{0} s</source>
        <translation>{0} 秒</translation>
    </message>
</context>
<context>
    <name>ConversationFileActions</name>
    <message>
        <source>Markdown (*.md);;All files (*)</source>
        <translation>Markdown (*.md);;所有文件 (*)</translation>
    </message>
    <message>
        <source>JSON (*.json);;All files (*)</source>
        <translation>JSON (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Conversations (*.json);;All files (*)</source>
        <translation>对话 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>Export conversation as &amp;Markdown…</source>
        <translation>将对话导出为 &amp;Markdown…</translation>
    </message>
    <message>
        <source>Export conversation as &amp;JSON…</source>
        <translation>将对话导出为 &amp;JSON…</translation>
    </message>
    <message>
        <source>&amp;Import conversations…</source>
        <translation>导入对话(&amp;I)…</translation>
    </message>
    <message>
        <source>Add conversations from a file: this app&apos;s JSON export or a ChatGPT conversations.json</source>
        <translation>从文件添加对话：本应用的 JSON 导出或 ChatGPT 的 conversations.json</translation>
    </message>
    <message>
        <source>Export conversation as Markdown</source>
        <translation>将对话导出为 Markdown</translation>
    </message>
    <message>
        <source>Export conversation as JSON</source>
        <translation>将对话导出为 JSON</translation>
    </message>
    <message>
        <source>There is nothing to export yet: this conversation is empty.</source>
        <translation>还没有可导出的内容：此对话为空。</translation>
    </message>
    <message>
        <source>Could not save {0}</source>
        <translation>无法保存 {0}</translation>
    </message>
    <message>
        <source>Importing needs the history, which is not available.</source>
        <translation>导入需要历史记录，但历史记录不可用。</translation>
    </message>
    <message>
        <source>Import conversations</source>
        <translation>导入对话</translation>
    </message>
    <message>
        <source>No conversations were found in {0}.</source>
        <translation>在 {0} 中未找到对话。</translation>
    </message>
    <message numerus="yes">
        <source>Imported %n conversation(s) from {0}.</source>
        <translation>
            <numerusform>已从 {0} 导入 %n 个对话。</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not import {0}</source>
        <translation>无法导入 {0}</translation>
    </message>
    <message>
        <source>An export or import is still running: wait for it to end.</source>
        <translation>导出或导入仍在进行：请等待其完成。</translation>
    </message>
    <message>
        <source>{0}: something unexpected went wrong ({1}). Details are in the log.</source>
        <translation>{0}：发生意外错误（{1}）。详细信息见日志。</translation>
    </message>
</context>
<context>
    <name>ConversationList</name>
    <message>
        <source>Untitled conversation</source>
        <translation>未命名对话</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>昨天</translation>
    </message>
    <message>
        <source>Previous 7 days</source>
        <translation>过去 7 天</translation>
    </message>
    <message>
        <source>MMMM yyyy</source>
        <comment>date format</comment>
        <translation>yyyy年M月</translation>
    </message>
</context>
<context>
    <name>ConversationListModel</name>
    <message>
        <source>Last active {0}</source>
        <translation>上次活动：{0}</translation>
    </message>
</context>
<context>
    <name>ConversationSettingsPanel</name>
    <message>
        <source>Conversation settings</source>
        <translation>对话设置</translation>
    </message>
    <message>
        <source>Conversation model</source>
        <translation>对话模型</translation>
    </message>
    <message>
        <source>Conversation temperature</source>
        <translation>对话温度</translation>
    </message>
    <message>
        <source>the server&apos;s default</source>
        <translation>服务器默认值</translation>
    </message>
    <message>
        <source>Conversation system prompt</source>
        <translation>对话系统提示词</translation>
    </message>
    <message>
        <source>No system prompt</source>
        <translation>无系统提示词</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>Use the assistant&apos;s</source>
        <translation>使用助手的设置</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <source>This conversation only — from the assistant “{name}”</source>
        <translation>仅此对话——基于助手“{name}”</translation>
    </message>
    <message>
        <source>Temperature must be a number from 0 to 2.</source>
        <translation>温度必须是 0 到 2 之间的数字。</translation>
    </message>
</context>
<context>
    <name>ConversationSidebar</name>
    <message>
        <source>Search conversations</source>
        <translation>搜索对话</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>New conversation</source>
        <translation>新对话</translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>Search results</source>
        <translation>搜索结果</translation>
    </message>
    <message>
        <source>Conversation deleted</source>
        <translation>对话已删除</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Undo delete</source>
        <translation>撤销删除</translation>
    </message>
    <message>
        <source>Undo delete (Ctrl+Z)</source>
        <translation>撤销删除 (Ctrl+Z)</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Deleted “%1”. Undo within %2 s (Ctrl+Z).</source>
        <translation>已删除“%1”。可在 %2 秒内撤销 (Ctrl+Z)。</translation>
    </message>
    <message>
        <source>Export as Markdown…</source>
        <translation>导出为 Markdown…</translation>
    </message>
    <message>
        <source>No conversations match “{0}”.</source>
        <translation>没有与“{0}”匹配的对话。</translation>
    </message>
</context>
<context>
    <name>EditBar</name>
    <message>
        <source>Editing a message</source>
        <translation>正在编辑消息</translation>
    </message>
    <message>
        <source>Editing your message: sending adds it as a new version. The one before stays, with its answer (switch with ‹ ›).</source>
        <translation>正在编辑你的消息：发送后将作为新版本添加。之前的版本及其回答会保留（用 ‹ › 切换）。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancel edit</source>
        <translation>取消编辑</translation>
    </message>
    <message>
        <source>Keep the conversation as it is (Esc)</source>
        <translation>保持对话原样 (Esc)</translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <source>This is not a {0} export.</source>
        <translation>这不是 {0} 的导出文件。</translation>
    </message>
    <message>
        <source>The export has no format version.</source>
        <translation>导出文件没有格式版本。</translation>
    </message>
    <message>
        <source>This export was written by a newer version of {0} (format {1}); update the app to import it.</source>
        <translation>此导出文件由更新版本的 {0} 写入（格式 {1}）；请更新应用后再导入。</translation>
    </message>
    <message>
        <source>The file is not valid JSON ({0}, line {1}).</source>
        <translation>该文件不是有效的 JSON（{0}，第 {1} 行）。</translation>
    </message>
    <message>
        <source>This is not a ChatGPT conversations.json (expected a list).</source>
        <translation>这不是 ChatGPT 的 conversations.json（应为列表）。</translation>
    </message>
    <message>
        <source>This is not a ChatGPT conversations.json (no “mapping”).</source>
        <translation>这不是 ChatGPT 的 conversations.json（缺少“mapping”）。</translation>
    </message>
    <message>
        <source>Imported conversation</source>
        <translation>导入的对话</translation>
    </message>
    <message>
        <source>The file is not UTF-8 text.</source>
        <translation>该文件不是 UTF-8 文本。</translation>
    </message>
    <message>
        <source>The file could not be read: {0}.</source>
        <translation>无法读取该文件：{0}。</translation>
    </message>
    <message>
        <source>You</source>
        <translation>您</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
    <message>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>Tool result</source>
        <translation>工具结果</translation>
    </message>
    <message>
        <source>Stopped by the user.</source>
        <translation>已被用户停止。</translation>
    </message>
    <message>
        <source>Interrupted: the app closed while this reply was arriving.</source>
        <translation>已中断：接收此回答时应用被关闭。</translation>
    </message>
    <message>
        <source>Still arriving when exported.</source>
        <translation>导出时仍在接收中。</translation>
    </message>
    <message>
        <source>Untitled conversation</source>
        <translation>未命名对话</translation>
    </message>
    <message>
        <source>Exported from {0}</source>
        <translation>导出自 {0}</translation>
    </message>
    <message>
        <source>model {0}</source>
        <translation>模型 {0}</translation>
    </message>
    <message>
        <source>started {0}</source>
        <translation>开始于 {0}</translation>
    </message>
    <message>
        <source>Refused: {0}</source>
        <translation>已拒绝：{0}</translation>
    </message>
    <message>
        <source>Tool call</source>
        <translation>工具调用</translation>
    </message>
    <message>
        <source>Failed: {0}</source>
        <translation>失败：{0}</translation>
    </message>
    <message>
        <source>Cut short: the reply reached the token limit.</source>
        <translation>已截断：回答达到了 token 上限。</translation>
    </message>
</context>
<context>
    <name>FirstRunPage</name>
    <message>
        <source>No profiles</source>
        <translation>没有配置</translation>
    </message>
    <message>
        <source>No provider yet. Pick one to set it up: OpenAI, a local server such as Ollama or LM Studio, or any OpenAI-compatible service (Custom).</source>
        <translation>还没有服务商。选择一个进行设置：OpenAI、本地服务器（如 Ollama 或 LM Studio），或任何 OpenAI 兼容服务（Custom）。</translation>
    </message>
    <message>
        <source>Local servers</source>
        <translation>本地服务器</translation>
    </message>
    <message>
        <source>Add {0}</source>
        <translation>添加 {0}</translation>
    </message>
    <message>
        <source>Looking for servers running on this computer…</source>
        <translation>正在查找此计算机上运行的服务器…</translation>
    </message>
    <message>
        <source>Found running on this computer:</source>
        <translation>在此计算机上找到：</translation>
    </message>
    <message>
        <source>No local server found running.</source>
        <translation>未找到正在运行的本地服务器。</translation>
    </message>
    <message>
        <source>{0} at {1}:{2}</source>
        <translation>{1}:{2} 上的 {0}</translation>
    </message>
</context>
<context>
    <name>JsonImportDialog</name>
    <message>
        <source>Import MCP servers</source>
        <translation>导入 MCP 服务器</translation>
    </message>
    <message>
        <source>From file…</source>
        <translation>从文件…</translation>
    </message>
    <message>
        <source>Paste the JSON of Claude Desktop, Cursor or LM Studio:</source>
        <translation>粘贴 Claude Desktop、Cursor 或 LM Studio 的 JSON：</translation>
    </message>
    <message>
        <source>MCP configuration</source>
        <translation>MCP 配置</translation>
    </message>
    <message>
        <source>JSON (*.json);;*</source>
        <translation>JSON (*.json);;*</translation>
    </message>
    <message>
        <source>Could not read {path}: {why}</source>
        <translation>无法读取 {path}：{why}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop the answer (Esc)</source>
        <translation>停止回答 (Esc)</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>Reply status</source>
        <translation>回答状态</translation>
    </message>
    <message>
        <source>&amp;New conversation</source>
        <translation>新对话(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Stop answer</source>
        <translation>停止回答(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Copy conversation as Markdown</source>
        <translation>将对话复制为 Markdown(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Search conversations</source>
        <translation>搜索对话(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Keep running in the &amp;tray when closed</source>
        <translation>关闭时在系统托盘中继续运行(&amp;T)</translation>
    </message>
    <message>
        <source>Show &amp;sidebar</source>
        <translation>显示侧边栏(&amp;S)</translation>
    </message>
    <message>
        <source>Only the last reply can be retried or continued. To ask again for an earlier reply, use its Regenerate button (a new version of it).</source>
        <translation>只有最后一条回复可以重试或继续。要重新获取较早的回复，请使用它的“重新生成”按钮（生成它的新版本）。</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Chat</source>
        <translation>聊天(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>This conversation&apos;s own model, temperature and system prompt (Ctrl+Shift+E)</source>
        <translation>此对话自己的模型、温度和系统提示词 (Ctrl+Shift+E)</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
    <message>
        <source>The assistant of this conversation (or of the next new one)</source>
        <translation>此对话（或下一个新对话）的助手</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Edit conversation settings</source>
        <translation>编辑对话设置</translation>
    </message>
    <message>
        <source>Edited from</source>
        <translation>修改自</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>服务商</translation>
    </message>
    <message>
        <source>The provider the next message goes to</source>
        <translation>下一条消息将发送到的服务商</translation>
    </message>
    <message>
        <source>An attachment is still being read: send it in a moment.</source>
        <translation>附件仍在读取中：请稍后再发送。</translation>
    </message>
    <message>
        <source>An answer is still coming: stop it (Esc) or wait for it to end.</source>
        <translation>回答仍在生成中：请停止它 (Esc) 或等待其结束。</translation>
    </message>
    <message>
        <source>Too long for the model</source>
        <translation>对模型来说过长</translation>
    </message>
    <message>
        <source>With the attached documents, this conversation comes to about {0} tokens: more than the {1} tokens {2} can take.</source>
        <translation>加上附加的文档，此对话约有 {0} 个 token：超过了{2}可接受的 {1} 个 token。</translation>
    </message>
    <message>
        <source>the model</source>
        <translation>该模型</translation>
    </message>
    <message>
        <source>The server may refuse it, or the model may see only part of it. Remove a file (×) or send it anyway.</source>
        <translation>服务器可能会拒绝，或者模型可能只能看到其中一部分。请移除一个文件（×），或仍然发送。</translation>
    </message>
    <message>
        <source>Send anyway</source>
        <translation>仍然发送</translation>
    </message>
    <message>
        <source>Not sent: remove a file (×) to make it shorter, or send anyway.</source>
        <translation>未发送：请移除一个文件（×）以缩短内容，或仍然发送。</translation>
    </message>
    <message>
        <source>No provider: open Settings</source>
        <translation>没有服务商：请打开设置</translation>
    </message>
    <message>
        <source>Answers with the provider&apos;s settings</source>
        <translation>使用服务商的设置回答</translation>
    </message>
    <message>
        <source>edited from “{0}”</source>
        <translation>修改自“{0}”</translation>
    </message>
    <message>
        <source>Exported to {0}.</source>
        <translation>已导出到 {0}。</translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation>在文件夹中显示</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
    <message>
        <source>Waiting for first token…</source>
        <translation>正在等待第一个 token…</translation>
    </message>
    <message>
        <source>Receiving… (Esc stops)</source>
        <translation>正在接收…（按 Esc 停止）</translation>
    </message>
    <message>
        <source>Waiting for first token… {0} s</source>
        <translation>正在等待第一个 token… {0} 秒</translation>
    </message>
    <message>
        <source>A {0}: link in a message was not opened: only web (http, https) and mail links are opened from messages.</source>
        <translation>消息中的 {0}: 链接未被打开：只能从消息中打开网页链接（http、https）和邮件链接。</translation>
    </message>
    <message>
        <source>A link without a scheme in a message was not opened: only web (http, https) and mail links are opened from messages.</source>
        <translation>消息中一个没有协议的链接未被打开：只能从消息中打开网页链接（http、https）和邮件链接。</translation>
    </message>
</context>
<context>
    <name>McpConfig</name>
    <message>
        <source>Give the server a name.</source>
        <translation>请为服务器命名。</translation>
    </message>
    <message>
        <source>Give either a command (a local server) or a URL (a remote one).</source>
        <translation>请提供命令（本地服务器）或 URL（远程服务器）之一。</translation>
    </message>
    <message>
        <source>The server URL must start with http:// or https://.</source>
        <translation>服务器 URL 必须以 http:// 或 https:// 开头。</translation>
    </message>
    <message>
        <source>The call timeout must be a positive number of seconds.</source>
        <translation>调用超时必须是正的秒数。</translation>
    </message>
    <message>
        <source>This is not valid JSON ({0}, line {1}).</source>
        <translation>这不是有效的 JSON（{0}，第 {1} 行）。</translation>
    </message>
    <message>
        <source>Expected a JSON object like {&quot;mcpServers&quot;: {...}}.</source>
        <translation>应为类似 {&quot;mcpServers&quot;: {...}} 的 JSON 对象。</translation>
    </message>
    <message>
        <source>No servers found: expected {&quot;mcpServers&quot;: {&quot;name&quot;: {...}}}.</source>
        <translation>未找到服务器：应为 {&quot;mcpServers&quot;: {&quot;name&quot;: {...}}}。</translation>
    </message>
    <message>
        <source>Server {0!r} is not a JSON object.</source>
        <translation>服务器 {0!r} 不是 JSON 对象。</translation>
    </message>
    <message>
        <source>Server {0!r}: {1!r} must be a list of strings.</source>
        <translation>服务器 {0!r}：{1!r} 必须是字符串列表。</translation>
    </message>
    <message>
        <source>Server {0!r}: {1!r} must be an object.</source>
        <translation>服务器 {0!r}：{1!r} 必须是对象。</translation>
    </message>
    <message>
        <source>Server {0!r}: &apos;command&apos; and &apos;url&apos; must be text.</source>
        <translation>服务器 {0!r}：“command”和“url”必须是文本。</translation>
    </message>
</context>
<context>
    <name>McpManager</name>
    <message>
        <source>{0} did not answer within {1:.0f} s.</source>
        <translation>{0} 未在 {1:.0f} 秒内响应。</translation>
    </message>
    <message>
        <source>{0}: the command {1!r} was not found (not on the PATH of your login shell either). Give its full path, or install it.</source>
        <translation>{0}：找不到命令 {1!r}（登录 shell 的 PATH 中也没有）。请提供其完整路径，或安装它。</translation>
    </message>
    <message>
        <source>{0}: the command {1!r} cannot be run (permission).</source>
        <translation>{0}：无法运行命令 {1!r}（权限不足）。</translation>
    </message>
    <message>
        <source>{0} could not be started or reached ({1}).</source>
        <translation>无法启动或连接 {0}（{1}）。</translation>
    </message>
</context>
<context>
    <name>McpServersPage</name>
    <message>
        <source>MCP servers</source>
        <translation>MCP 服务器</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Import JSON…</source>
        <translation>导入 JSON…</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>已启用</translation>
    </message>
    <message>
        <source>NAME=value (one a line; tokens go to the keyring)</source>
        <translation>NAME=值（每行一个；令牌保存在密钥环中）</translation>
    </message>
    <message>
        <source>Ask before every call</source>
        <translation>每次调用前询问</translation>
    </message>
    <message>
        <source>Allow all calls</source>
        <translation>允许所有调用</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>测试</translation>
    </message>
    <message>
        <source>MCP test result</source>
        <translation>MCP 测试结果</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>命令</translation>
    </message>
    <message>
        <source>Arguments</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Environment</source>
        <translation>环境变量</translation>
    </message>
    <message>
        <source>or URL</source>
        <translation>或 URL</translation>
    </message>
    <message>
        <source>Headers</source>
        <translation>请求头</translation>
    </message>
    <message>
        <source>Call timeout</source>
        <translation>调用超时</translation>
    </message>
    <message>
        <source>Approval</source>
        <translation>批准</translation>
    </message>
    <message>
        <source>Always allowed</source>
        <translation>始终允许</translation>
    </message>
    <message>
        <source>New server</source>
        <translation>新服务器</translation>
    </message>
    <message>
        <source>Tools:</source>
        <translation>工具：</translation>
    </message>
    <message>
        <source>Last lines the server wrote (stderr):</source>
        <translation>服务器最后输出的几行（stderr）：</translation>
    </message>
    <message>
        <source>Connecting to {name}…</source>
        <translation>正在连接 {name}…</translation>
    </message>
    <message>
        <source>Connected.</source>
        <translation>已连接。</translation>
    </message>
</context>
<context>
    <name>PlaceholderForm</name>
    <message>
        <source>Prompt placeholders</source>
        <translation>提示词占位符</translation>
    </message>
    <message>
        <source>Fill in “{name}”</source>
        <translation>填写“{name}”</translation>
    </message>
    <message>
        <source>Insert</source>
        <translation>插入</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>ProfileFormView</name>
    <message>
        <source>OpenAI-compatible</source>
        <translation>OpenAI 兼容</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>基础 URL</translation>
    </message>
    <message>
        <source>e.g. http://localhost:11434/v1</source>
        <translation>例如 http://localhost:11434/v1</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>server default (0–2)</source>
        <translation>服务器默认值（0–2）</translation>
    </message>
    <message>
        <source>Max tokens</source>
        <translation>最大 token 数</translation>
    </message>
    <message>
        <source>server default</source>
        <translation>服务器默认值</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>可选</translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation>代理</translation>
    </message>
    <message>
        <source>system proxy settings (or http://, https://, socks5://host:port)</source>
        <translation>系统代理设置（或 http://、https://、socks5://主机:端口）</translation>
    </message>
    <message>
        <source>Proxy password</source>
        <translation>代理密码</translation>
    </message>
    <message>
        <source>only if the proxy needs one</source>
        <translation>仅当代理需要时填写</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>type a model name, or load the server&apos;s list</source>
        <translation>输入模型名称，或加载服务器的列表</translation>
    </message>
    <message>
        <source>Load models</source>
        <translation>加载模型</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancel loading models</source>
        <translation>取消加载模型</translation>
    </message>
    <message>
        <source>Model list status</source>
        <translation>模型列表状态</translation>
    </message>
    <message>
        <source>The model accepts images</source>
        <translation>模型接受图片</translation>
    </message>
    <message>
        <source>Attached images are sent to the model. Turn off for a text-only model: a message with images is then kept in the composer, not sent.</source>
        <translation>附加的图片会发送给模型。对于纯文本模型请关闭：带图片的消息将保留在输入框中，不会发送。</translation>
    </message>
    <message>
        <source>This server needs an API key</source>
        <translation>此服务器需要 API 密钥</translation>
    </message>
    <message>
        <source>Needs an API key</source>
        <translation>需要 API 密钥</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Show API key</source>
        <translation>显示 API 密钥</translation>
    </message>
    <message>
        <source>API key source</source>
        <translation>API 密钥来源</translation>
    </message>
    <message>
        <source>Keyring problem</source>
        <translation>密钥环问题</translation>
    </message>
    <message>
        <source>Use this key for this session only</source>
        <translation>仅在本次会话中使用此密钥</translation>
    </message>
    <message>
        <source>{0} error</source>
        <translation>{0}错误</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>隐藏</translation>
    </message>
    <message>
        <source>Hide API key</source>
        <translation>隐藏 API 密钥</translation>
    </message>
    <message>
        <source>You can still use a key now: tick “Use this key for this session only” (it is kept in memory and forgotten when you quit).</source>
        <translation>您现在仍可使用密钥：勾选“仅在本次会话中使用此密钥”（密钥保存在内存中，退出时即被清除）。</translation>
    </message>
    <message>
        <source>Loading models…</source>
        <translation>正在加载模型…</translation>
    </message>
    <message>
        <source>1 model available: type to search.</source>
        <translation>有 1 个可用模型：输入以搜索。</translation>
    </message>
    <message numerus="yes">
        <source>%n models available: type to search.</source>
        <translation>
            <numerusform>有 %n 个可用模型：输入以搜索。</numerusform>
        </translation>
    </message>
    <message>
        <source>The server lists no models; type the model name.</source>
        <translation>服务器未列出任何模型；请输入模型名称。</translation>
    </message>
    <message>
        <source>Could not load models: {0}.</source>
        <translation>无法加载模型：{0}。</translation>
    </message>
    <message>
        <source>Loading models was cancelled.</source>
        <translation>已取消加载模型。</translation>
    </message>
</context>
<context>
    <name>PromptPicker</name>
    <message>
        <source>Prompts</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>Prompt list</source>
        <translation>提示词列表</translation>
    </message>
    <message>
        <source>↑↓ to move, Enter to insert, Esc to close</source>
        <translation>↑↓ 移动，Enter 插入，Esc 关闭</translation>
    </message>
</context>
<context>
    <name>Prompts</name>
    <message>
        <source>a prompt</source>
        <translation>某个提示词</translation>
    </message>
    <message>
        <source>{0} is not an object.</source>
        <translation>{0} 不是对象。</translation>
    </message>
    <message>
        <source>{0} has no name.</source>
        <translation>{0} 没有名称。</translation>
    </message>
    <message>
        <source>{0} (“{1}”) has no text.</source>
        <translation>{0}（“{1}”）没有文本。</translation>
    </message>
    <message>
        <source>{0} (“{1}”): “id” should be text.</source>
        <translation>{0}（“{1}”）：“id”应为文本。</translation>
    </message>
    <message>
        <source>This is not a JSON file ({0}).</source>
        <translation>这不是 JSON 文件（{0}）。</translation>
    </message>
    <message>
        <source>This file holds no prompts (no “prompts” list).</source>
        <translation>此文件不包含提示词（没有“prompts”列表）。</translation>
    </message>
    <message>
        <source>Prompt {0}</source>
        <translation>提示词 {0}</translation>
    </message>
</context>
<context>
    <name>PromptsPage</name>
    <message>
        <source>Prompts</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Add prompt</source>
        <translation>添加提示词</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Delete prompt</source>
        <translation>删除提示词</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Import prompts</source>
        <translation>导入提示词</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Export prompts</source>
        <translation>导出提示词</translation>
    </message>
    <message>
        <source>Type / in the message box to pick a prompt (arrows and Enter, Esc closes). Write {{name}} where something is to be filled in, e.g. “Translate {{text}} into {{language}}”: choosing the prompt asks for each one.</source>
        <translation>在消息框中输入 / 即可选择提示词（方向键和 Enter，Esc 关闭）。在需要填写内容的地方写 {{name}}，例如“将 {{text}} 翻译成 {{language}}”：选择该提示词时会逐一询问。</translation>
    </message>
    <message>
        <source>Prompt name</source>
        <translation>提示词名称</translation>
    </message>
    <message>
        <source>Prompt text</source>
        <translation>提示词文本</translation>
    </message>
    <message>
        <source>Prompt placeholders</source>
        <translation>提示词占位符</translation>
    </message>
    <message>
        <source>Prompt problem</source>
        <translation>提示词问题</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>A prompt needs a name.</source>
        <translation>提示词需要名称。</translation>
    </message>
    <message>
        <source>The prompt “{name}” has no text.</source>
        <translation>提示词“{name}”没有文本。</translation>
    </message>
    <message>
        <source>New prompt</source>
        <translation>新提示词</translation>
    </message>
    <message>
        <source>Could not read {path}: {why}</source>
        <translation>无法读取 {path}：{why}</translation>
    </message>
    <message>
        <source>Nothing was imported from {path}: {why}</source>
        <translation>未从 {path} 导入任何内容：{why}</translation>
    </message>
    <message>
        <source>Could not write {path}: {why}</source>
        <translation>无法写入 {path}：{why}</translation>
    </message>
    <message>
        <source>JSON (*.json);;*</source>
        <translation>JSON (*.json);;*</translation>
    </message>
    <message>
        <source>(unnamed)</source>
        <translation>（未命名）</translation>
    </message>
    <message>
        <source>Asked for when chosen: {names}</source>
        <translation>选择时将询问：{names}</translation>
    </message>
    <message>
        <source>No placeholders: the text is inserted as it is.</source>
        <translation>没有占位符：文本将原样插入。</translation>
    </message>
</context>
<context>
    <name>QuickAskWindow</name>
    <message>
        <source>Quick ask</source>
        <translation>快速提问</translation>
    </message>
    <message>
        <source>Quick question</source>
        <translation>快速问题</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>回答</translation>
    </message>
    <message>
        <source>Quick ask status</source>
        <translation>快速提问状态</translation>
    </message>
    <message>
        <source>Open in Zlay</source>
        <translation>在 Zlay 中打开</translation>
    </message>
    <message>
        <source>Waiting for the answer…</source>
        <translation>正在等待回答…</translation>
    </message>
</context>
<context>
    <name>RememberedState</name>
    <message>
        <source>Drafts and the window&apos;s layout could not be saved: {0}</source>
        <translation>无法保存草稿和窗口布局：{0}</translation>
    </message>
</context>
<context>
    <name>ReplyStats</name>
    <message>
        <source>{0} ms</source>
        <translation>{0} 毫秒</translation>
    </message>
    <message>
        <source>{0} s</source>
        <translation>{0} 秒</translation>
    </message>
    <message>
        <source>first token {0}</source>
        <translation>首个 token 用时 {0}</translation>
    </message>
    <message>
        <source>{0} tokens/s</source>
        <translation>{0} token/秒</translation>
    </message>
    <message>
        <source>{0} in / {1} out tokens</source>
        <translation>输入 {0} / 输出 {1} token</translation>
    </message>
    <message>
        <source>({0} reasoning)</source>
        <translation>（推理 {0}）</translation>
    </message>
</context>
<context>
    <name>SearchResultsModel</name>
    <message>
        <source>in %1: </source>
        <translation>在 %1 中：</translation>
    </message>
    <message>
        <source>Last active {0}</source>
        <translation>上次活动：{0}</translation>
    </message>
</context>
<context>
    <name>Secrets</name>
    <message>
        <source>Zlay Desktop keeps API keys in the macOS Keychain. Open Keychain Access, make sure the &apos;login&apos; keychain is unlocked, and allow Zlay Desktop when macOS asks.</source>
        <translation>Zlay Desktop 将 API 密钥保存在 macOS 钥匙串中。请打开“钥匙串访问”，确保“登录”钥匙串已解锁，并在 macOS 询问时允许 Zlay Desktop 访问。</translation>
    </message>
    <message>
        <source>Zlay Desktop keeps API keys in the Windows Credential Manager. Make sure the &apos;Credential Manager&apos; service is running (services.msc) and that you are signed in with a normal user account.</source>
        <translation>Zlay Desktop 将 API 密钥保存在 Windows 凭据管理器中。请确保“Credential Manager”服务正在运行（services.msc），并且您使用的是普通用户账户登录。</translation>
    </message>
    <message>
        <source>Zlay Desktop keeps API keys in the Secret Service of your desktop. Install and start GNOME Keyring (e.g. &apos;sudo apt install gnome-keyring&apos;) or KWallet, and unlock the &apos;login&apos; keyring (logging in to a desktop session usually does both). Without a desktop session, start one with &apos;dbus-run-session&apos; and &apos;gnome-keyring-daemon --unlock&apos;.</source>
        <translation>Zlay Desktop 将 API 密钥保存在桌面的 Secret Service 中。请安装并启动 GNOME Keyring（例如“sudo apt install gnome-keyring”）或 KWallet，并解锁“login”密钥环（登录桌面会话通常会同时完成这两步）。如果没有桌面会话，请用“dbus-run-session”和“gnome-keyring-daemon --unlock”启动一个。</translation>
    </message>
    <message>
        <source>system keyring</source>
        <translation>系统密钥环</translation>
    </message>
    <message>
        <source>system keyring (Secret Service)</source>
        <translation>系统密钥环（Secret Service）</translation>
    </message>
    <message>
        <source>system keyring (KWallet)</source>
        <translation>系统密钥环（KWallet）</translation>
    </message>
    <message>
        <source>macOS Keychain</source>
        <translation>macOS 钥匙串</translation>
    </message>
    <message>
        <source>Windows Credential Manager</source>
        <translation>Windows 凭据管理器</translation>
    </message>
    <message>
        <source>no keyring</source>
        <translation>无密钥环</translation>
    </message>
    <message>
        <source>keyring backend {0}</source>
        <translation>密钥环后端 {0}</translation>
    </message>
    <message>
        <source>No system keyring is available, so API keys cannot be stored.</source>
        <translation>没有可用的系统密钥环，因此无法保存 API 密钥。</translation>
    </message>
    <message>
        <source>The keyring is disabled (keyring&apos;s null backend), so API keys cannot be stored.</source>
        <translation>密钥环已被禁用（keyring 的 null 后端），因此无法保存 API 密钥。</translation>
    </message>
    <message>
        <source>The system keyring is locked (or the unlock prompt was dismissed), so API keys cannot be read or stored.</source>
        <translation>系统密钥环已锁定（或解锁提示被关闭），因此无法读取或保存 API 密钥。</translation>
    </message>
    <message>
        <source>The system keyring (Secret Service over D-Bus) could not be reached.</source>
        <translation>无法访问系统密钥环（通过 D-Bus 的 Secret Service）。</translation>
    </message>
    <message>
        <source>The system keyring refused to store the key.</source>
        <translation>系统密钥环拒绝保存该密钥。</translation>
    </message>
    <message>
        <source>The system keyring could not be reached.</source>
        <translation>无法访问系统密钥环。</translation>
    </message>
    <message>
        <source>The system keyring failed.</source>
        <translation>系统密钥环出错。</translation>
    </message>
    <message>
        <source>this session only (kept in memory)</source>
        <translation>仅本次会话（保存在内存中）</translation>
    </message>
    <message>
        <source>environment variable {0} (read-only)</source>
        <translation>环境变量 {0}（只读）</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>Max tokens must be a positive whole number, or empty.</source>
        <translation>最大 token 数必须是正整数，或留空。</translation>
    </message>
    <message>
        <source>Enter the server&apos;s base URL, e.g. http://localhost:11434/v1.</source>
        <translation>请输入服务器的基础 URL，例如 http://localhost:11434/v1。</translation>
    </message>
    <message>
        <source>The base URL must start with http:// or https://.</source>
        <translation>基础 URL 必须以 http:// 或 https:// 开头。</translation>
    </message>
    <message>
        <source>The base URL needs a host name, e.g. https://api.openai.com/v1.</source>
        <translation>基础 URL 需要主机名，例如 https://api.openai.com/v1。</translation>
    </message>
    <message>
        <source>The port in the base URL is not a number between 0 and 65535.</source>
        <translation>基础 URL 中的端口不是 0 到 65535 之间的数字。</translation>
    </message>
    <message>
        <source>The base URL must not contain &apos;?&apos; or &apos;#&apos;.</source>
        <translation>基础 URL 不能包含“?”或“#”。</translation>
    </message>
    <message>
        <source>Do not put credentials in the base URL; use the API key field.</source>
        <translation>请勿在基础 URL 中填写凭据；请使用 API 密钥字段。</translation>
    </message>
    <message>
        <source>The proxy must be an http://, https:// or socks5:// URL, or empty.</source>
        <translation>代理必须是 http://、https:// 或 socks5:// URL，或留空。</translation>
    </message>
    <message>
        <source>The proxy URL needs a host, e.g. http://proxy.example:3128.</source>
        <translation>代理 URL 需要主机，例如 http://proxy.example:3128。</translation>
    </message>
    <message>
        <source>The port in the proxy URL is not a number between 0 and 65535.</source>
        <translation>代理 URL 中的端口不是 0 到 65535 之间的数字。</translation>
    </message>
    <message>
        <source>SOCKS proxies need the &apos;socksio&apos; package (pip install &apos;httpx[socks]&apos;).</source>
        <translation>SOCKS 代理需要“socksio”包（pip install &apos;httpx[socks]&apos;）。</translation>
    </message>
    <message>
        <source>The settings file {0} could not be read ({1}). Default settings are used for now.</source>
        <translation>无法读取设置文件 {0}（{1}）。暂时使用默认设置。</translation>
    </message>
    <message>
        <source> It was kept as {0}.</source>
        <translation>已保留为 {0}。</translation>
    </message>
    <message>
        <source>The settings file {0} is damaged ({1}), so default settings are used.{2}</source>
        <translation>设置文件 {0} 已损坏（{1}），因此使用默认设置。{2}</translation>
    </message>
    <message>
        <source>The settings could not be saved to {0}: {1}.</source>
        <translation>无法将设置保存到 {0}：{1}。</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Save error</source>
        <translation>保存错误</translation>
    </message>
    <message>
        <source>Command line</source>
        <translation>命令行</translation>
    </message>
    <message>
        <source>Providers</source>
        <translation>服务商</translation>
    </message>
    <message>
        <source>MCP servers</source>
        <translation>MCP 服务器</translation>
    </message>
    <message>
        <source>Assistants</source>
        <translation>助手</translation>
    </message>
    <message>
        <source>Prompts</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>General</source>
        <translation>常规</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>系统默认</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>语言：</translation>
    </message>
    <message>
        <source>A new language applies when Zlay Desktop is started again.</source>
        <translation>新语言将在重新启动 Zlay Desktop 后生效。</translation>
    </message>
    <message>
        <source>the server {0}</source>
        <translation>服务器 {0}</translation>
    </message>
    <message>
        <source>the model {0}</source>
        <translation>模型 {0}</translation>
    </message>
    <message>
        <source>the API key in OPENAI_API_KEY</source>
        <translation>OPENAI_API_KEY 中的 API 密钥</translation>
    </message>
    <message>
        <source>For this run the command line sets {0}: it wins over the settings below, which apply again when the app is started without it.</source>
        <translation>本次运行由命令行设置了{0}：它优先于下方的设置；不带命令行参数启动应用时，下方设置将重新生效。</translation>
    </message>
    <message>
        <source> and </source>
        <translation> 和 </translation>
    </message>
    <message>
        <source>Profiles</source>
        <translation>配置</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Add profile</source>
        <translation>添加配置</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Duplicate profile</source>
        <translation>复制配置</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Delete profile</source>
        <translation>删除配置</translation>
    </message>
    <message>
        <source>(unnamed)</source>
        <translation>（未命名）</translation>
    </message>
    <message>
        <source>Kept for this session only (in memory, not stored).</source>
        <translation>仅在本次会话中保留（在内存中，未保存）。</translation>
    </message>
    <message>
        <source>Will be stored in the {0} when you press OK.</source>
        <translation>按“确定”后将保存到{0}。</translation>
    </message>
    <message>
        <source>Stored in the {0}.</source>
        <translation>已保存在{0}中。</translation>
    </message>
    <message>
        <source>Using {0} from the environment (read-only). Type a key here to use another one.</source>
        <translation>正在使用环境中的 {0}（只读）。在此输入密钥可改用其他密钥。</translation>
    </message>
    <message>
        <source>This server needs no key.</source>
        <translation>此服务器不需要密钥。</translation>
    </message>
    <message>
        <source>No key set.</source>
        <translation>未设置密钥。</translation>
    </message>
    <message>
        <source>from {0} (read-only)</source>
        <translation>来自 {0}（只读）</translation>
    </message>
    <message>
        <source>Fix the fields marked above first.</source>
        <translation>请先修正上方标记的字段。</translation>
    </message>
    <message>
        <source>Some fields need fixing (marked in red).</source>
        <translation>有些字段需要修正（以红色标出）。</translation>
    </message>
    <message>
        <source>The key cannot be stored: the system keyring is unavailable (see below). Tick “Use this key for this session only” to use it until you quit.</source>
        <translation>无法保存密钥：系统密钥环不可用（见下方）。勾选“仅在本次会话中使用此密钥”，即可在退出前使用它。</translation>
    </message>
    <message>
        <source>The API key could not be stored.</source>
        <translation>无法保存 API 密钥。</translation>
    </message>
    <message>
        <source>{0} The settings were not saved. Tick “Use this key for this session only” to use the key without the keyring.</source>
        <translation>{0} 设置未保存。勾选“仅在本次会话中使用此密钥”，即可不经密钥环使用该密钥。</translation>
    </message>
    <message>
        <source>{page}: {problem}</source>
        <translation>{page}：{problem}</translation>
    </message>
    <message>
        <source>MCP servers: {problem}</source>
        <translation>MCP 服务器：{problem}</translation>
    </message>
    <message>
        <source>The MCP servers&apos; tokens could not be stored: {why}</source>
        <translation>无法保存 MCP 服务器的令牌：{why}</translation>
    </message>
    <message>
        <source>Discard changes?</source>
        <translation>放弃更改？</translation>
    </message>
    <message>
        <source>Your changes to the settings are not saved. Discard them?</source>
        <translation>您对设置的更改尚未保存。要放弃吗？</translation>
    </message>
</context>
<context>
    <name>Store</name>
    <message>
        <source>Your history file is damaged and could not be moved aside ({0}: {1}). Nothing was changed; move or rename it yourself to start afresh.</source>
        <translation>您的历史记录文件已损坏，且无法移到一旁（{0}：{1}）。未做任何更改；请自行移动或重命名该文件以重新开始。</translation>
    </message>
    <message>
        <source>The disk is full, so the latest change to your history could not be saved. Everything saved before is still there; free some disk space to keep saving.</source>
        <translation>磁盘已满，因此无法保存历史记录的最新更改。之前保存的内容都还在；请释放一些磁盘空间以继续保存。</translation>
    </message>
    <message>
        <source>Your history file is read-only ({0}), so new changes cannot be saved. Your earlier conversations are still there; check the file&apos;s permissions.</source>
        <translation>您的历史记录文件是只读的（{0}），因此无法保存新的更改。之前的对话都还在；请检查文件权限。</translation>
    </message>
    <message>
        <source>Your history file is in use by another program (or another {0} window). Try again in a moment; nothing already saved was lost.</source>
        <translation>您的历史记录文件正被其他程序（或另一个 {0} 窗口）使用。请稍后重试；已保存的内容都没有丢失。</translation>
    </message>
    <message>
        <source>Your history file is damaged ({0}). Nothing was deleted; restart {1} to keep the damaged file aside and start a new one.</source>
        <translation>您的历史记录文件已损坏（{0}）。未删除任何内容；请重新启动 {1}，以将损坏的文件移到一旁并新建一个。</translation>
    </message>
    <message>
        <source>Your history file could not be opened ({0}). Check that its folder exists and that you may write to it.</source>
        <translation>无法打开您的历史记录文件（{0}）。请检查其文件夹是否存在，以及您是否有写入权限。</translation>
    </message>
    <message>
        <source>Your history file could not be read or written ({0}): the disk reported an error. Nothing already saved was deleted.</source>
        <translation>无法读写您的历史记录文件（{0}）：磁盘报告了错误。已保存的内容都没有被删除。</translation>
    </message>
    <message>
        <source>The history database is closed.</source>
        <translation>历史数据库已关闭。</translation>
    </message>
    <message>
        <source>The history database reported an error: {0}.</source>
        <translation>历史数据库报告了错误：{0}。</translation>
    </message>
    <message>
        <source>Your history could not be backed up before upgrading it, so it was left as it was. {0}</source>
        <translation>升级前无法备份您的历史记录，因此保持原样。{0}</translation>
    </message>
    <message>
        <source>The folder for your history could not be created ({0}: {1}).</source>
        <translation>无法创建历史记录文件夹（{0}：{1}）。</translation>
    </message>
    <message>
        <source>Your history file is damaged ({0}).</source>
        <translation>您的历史记录文件已损坏（{0}）。</translation>
    </message>
    <message>
        <source>Your history file was written by a newer version of {0} (schema {1}; this version knows {2}). Update {3} to open it; the file was not changed.</source>
        <translation>您的历史记录文件由更新版本的 {0} 写入（架构 {1}；此版本支持 {2}）。请更新 {3} 后再打开；文件未被修改。</translation>
    </message>
    <message>
        <source>Your history file ({0}) needs upgrading but is read-only.</source>
        <translation>您的历史记录文件（{0}）需要升级，但它是只读的。</translation>
    </message>
    <message>
        <source>Your history file is read-only ({0}), so new changes cannot be saved. Your earlier conversations are still there.</source>
        <translation>您的历史记录文件是只读的（{0}），因此无法保存新的更改。之前的对话都还在。</translation>
    </message>
    <message>
        <source>An attachment could not be saved ({0}); the message was not stored. Check the disk&apos;s free space and the data folder&apos;s permissions.</source>
        <translation>无法保存附件（{0}）；消息未被存储。请检查磁盘剩余空间和数据文件夹的权限。</translation>
    </message>
    <message>
        <source>This conversation no longer exists.</source>
        <translation>此对话已不存在。</translation>
    </message>
    <message>
        <source>The message this one answers no longer exists.</source>
        <translation>此消息所回复的消息已不存在。</translation>
    </message>
</context>
<context>
    <name>Targets</name>
    <message>
        <source>No provider is set up yet: open Settings (Ctrl+,) and add one — OpenAI, a local server such as Ollama or LM Studio, or any OpenAI-compatible API.</source>
        <translation>尚未设置服务商：打开设置（Ctrl+,）并添加一个——OpenAI、本地服务器（如 Ollama 或 LM Studio），或任何 OpenAI 兼容的 API。</translation>
    </message>
    <message>
        <source>The API key for “{0}” could not be read: {1} {2}</source>
        <translation>无法读取“{0}”的 API 密钥：{1} {2}</translation>
    </message>
    <message>
        <source>No API key is set for “{0}”: add one in Settings (Ctrl+,).</source>
        <translation>“{0}”未设置 API 密钥：请在设置中添加（Ctrl+,）。</translation>
    </message>
    <message>
        <source>No model is chosen for “{0}”: pick one in Settings.</source>
        <translation>“{0}”未选择模型：请在设置中选择。</translation>
    </message>
</context>
<context>
    <name>ToolCard</name>
    <message>
        <source>Run the tool “%1” of the server “%2”?</source>
        <translation>运行服务器“%2”的工具“%1”吗？</translation>
    </message>
    <message>
        <source>Tool %1: %2</source>
        <translation>工具 %1：%2</translation>
    </message>
    <message>
        <source>Waiting for your approval</source>
        <translation>等待您的批准</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>正在运行…</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Timed out</source>
        <translation>已超时</translation>
    </message>
    <message>
        <source>Denied</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Not run</source>
        <translation>未运行</translation>
    </message>
    <message>
        <source>Interrupted: the app closed before it finished</source>
        <translation>已中断：完成前应用被关闭</translation>
    </message>
    <message>
        <source>Tool %1</source>
        <translation>工具 %1</translation>
    </message>
    <message>
        <source>(unnamed)</source>
        <translation>（未命名）</translation>
    </message>
    <message>
        <source>Hide the details</source>
        <translation>隐藏详情</translation>
    </message>
    <message>
        <source>Show the details</source>
        <translation>显示详情</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>Arguments</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>… and %1 more characters of the arguments, not shown here (Copy the arguments copies them all).</source>
        <translation>……参数还有 %1 个字符未在此显示（“复制参数”会全部复制）。</translation>
    </message>
    <message>
        <source>Copy the arguments</source>
        <translation>复制参数</translation>
    </message>
    <message>
        <source>Show fewer arguments</source>
        <translation>显示较少参数</translation>
    </message>
    <message>
        <source>Show all arguments</source>
        <translation>显示全部参数</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>… and %1 more characters, not shown here (Copy copies the whole result).</source>
        <translation>……还有 %1 个字符未在此显示（“复制结果”会复制整个结果）。</translation>
    </message>
    <message>
        <source>Image %1 the tool returned</source>
        <translation>工具返回的第 %1 张图片</translation>
    </message>
    <message>
        <source>Copy result</source>
        <translation>复制结果</translation>
    </message>
    <message>
        <source>Deny</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>Do not run this tool; the model is told you declined (Esc)</source>
        <translation>不运行此工具；模型会被告知您已拒绝 (Esc)</translation>
    </message>
    <message>
        <source>Always allow</source>
        <translation>始终允许</translation>
    </message>
    <message>
        <source>Run this tool of this server without asking again (revocable in Settings)</source>
        <translation>今后运行此服务器的这个工具时不再询问（可在设置中撤销）</translation>
    </message>
    <message>
        <source>Allow</source>
        <translation>允许</translation>
    </message>
    <message>
        <source>Run this tool once (Enter)</source>
        <translation>运行此工具一次 (Enter)</translation>
    </message>
    <message numerus="yes">
        <source>%n image(s)</source>
        <translation>
            <numerusform>%n 张图片</numerusform>
        </translation>
    </message>
    <message>
        <source>… and {0} more characters of the arguments</source>
        <translation>……参数还有 {0} 个字符</translation>
    </message>
</context>
<context>
    <name>Transcript</name>
    <message>
        <source>Previous version</source>
        <translation>上一个版本</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>Next version</source>
        <translation>下一个版本</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Delete this version</source>
        <translation>删除此版本</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>… and %1 more characters, not shown here (Copy copies the whole message).</source>
        <translation>……还有 %1 个字符未在此显示（“复制”会复制整条消息）。</translation>
    </message>
    <message>
        <source>code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Copy code</source>
        <translation>复制代码</translation>
    </message>
    <message>
        <source>Thinking…</source>
        <translation>正在思考…</translation>
    </message>
    <message>
        <source>Thought for %1 s</source>
        <translation>思考了 %1 秒</translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation>推理过程</translation>
    </message>
    <message>
        <source>Hide the reasoning</source>
        <translation>隐藏推理过程</translation>
    </message>
    <message>
        <source>Show the reasoning</source>
        <translation>显示推理过程</translation>
    </message>
    <message>
        <source>The model refused: %1</source>
        <translation>模型拒绝了：%1</translation>
    </message>
    <message>
        <source>Waiting for first token… %1 s</source>
        <translation>正在等待第一个 token… %1 秒</translation>
    </message>
    <message>
        <source>Waiting for first token…</source>
        <translation>正在等待第一个 token…</translation>
    </message>
    <message>
        <source>The reply failed.</source>
        <translation>回答失败。</translation>
    </message>
    <message>
        <source>%1 (retry in %2 s)</source>
        <translation>%1（%2 秒后重试）</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message>
        <source>Interrupted: the app closed while this reply was arriving.</source>
        <translation>已中断：接收此回答时应用被关闭。</translation>
    </message>
    <message>
        <source>The answer was cut at the token limit.</source>
        <translation>回答在达到 token 上限时被截断。</translation>
    </message>
    <message>
        <source>The provider&apos;s content filter ended the answer.</source>
        <translation>服务商的内容过滤器终止了回答。</translation>
    </message>
    <message>
        <source>Start a conversation</source>
        <translation>开始对话</translation>
    </message>
    <message>
        <source>Type a message below and press Enter to send it. Pick a provider in the toolbar, or add one in Settings (Ctrl+,). Your conversations are kept in the list on the left.</source>
        <translation>在下方输入消息，按 Enter 发送。在工具栏中选择服务商，或在设置中添加一个（Ctrl+,）。您的对话保存在左侧的列表中。</translation>
    </message>
    <message>
        <source>Jump to latest</source>
        <translation>跳到最新</translation>
    </message>
    <message>
        <source>You</source>
        <translation>您</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
    <message>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>Tool result</source>
        <translation>工具结果</translation>
    </message>
    <message>
        <source>Thinking</source>
        <translation>思考</translation>
    </message>
</context>
<context>
    <name>TranscriptAttachments</name>
    <message>
        <source>image, {0}</source>
        <translation>图片，{0}</translation>
    </message>
    <message numerus="yes">
        <source>%n page(s)</source>
        <translation>
            <numerusform>%n 页</numerusform>
        </translation>
    </message>
    <message>
        <source>Attached: {0}</source>
        <translation>已附加：{0}</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <source>New conversation</source>
        <translation>新对话</translation>
    </message>
    <message>
        <source>Quick ask</source>
        <translation>快速提问</translation>
    </message>
    <message>
        <source>Show/Hide</source>
        <translation>显示/隐藏</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
</context>
<context>
    <name>VersionUndoBar</name>
    <message>
        <source>Version deleted</source>
        <translation>版本已删除</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Undo delete version</source>
        <translation>撤销删除版本</translation>
    </message>
    <message>
        <source>Bring the version back (Ctrl+Z)</source>
        <translation>恢复此版本 (Ctrl+Z)</translation>
    </message>
    <message>
        <source>Version deleted. Undo within %1 s (Ctrl+Z).</source>
        <translation>版本已删除。可在 %1 秒内撤销 (Ctrl+Z)。</translation>
    </message>
</context>
</TS>

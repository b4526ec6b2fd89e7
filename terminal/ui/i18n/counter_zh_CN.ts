<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>ApprovalForm</name>
    <message>
        <location filename="../approval_form.py" line="56"/>
        <source>Supervisor&apos;s approval</source>
        <translation>主管授权</translation>
    </message>
    <message>
        <location filename="../approval_form.py" line="57"/>
        <source>Supervisor number</source>
        <translation>主管工号</translation>
    </message>
    <message>
        <location filename="../approval_form.py" line="57"/>
        <source>PIN</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../approval_form.py" line="57"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../approval_form.py" line="60"/>
        <source>Approve</source>
        <translation>授权</translation>
    </message>
    <message>
        <location filename="../approval_form.py" line="61"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>AuditModel</name>
    <message>
        <location filename="../audit_screen.py" line="36"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../audit_screen.py" line="36"/>
        <source>Operator</source>
        <translation>操作员</translation>
    </message>
    <message>
        <location filename="../audit_screen.py" line="36"/>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../audit_screen.py" line="36"/>
        <source>About</source>
        <translation>对象</translation>
    </message>
    <message>
        <location filename="../audit_screen.py" line="36"/>
        <source>Approved by</source>
        <translation>授权人</translation>
    </message>
    <message>
        <location filename="../audit_screen.py" line="37"/>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
</context>
<context>
    <name>AuditScreen</name>
    <message>
        <location filename="../audit_screen.py" line="94"/>
        <source>Audit trail</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <location filename="../audit_screen.py" line="95"/>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <location filename="../audit_screen.py" line="95"/>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <location filename="../audit_screen.py" line="95"/>
        <source>Operator</source>
        <translation>操作员</translation>
    </message>
    <message>
        <location filename="../audit_screen.py" line="96"/>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../audit_screen.py" line="99"/>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../audit_screen.py" line="102"/>
        <source>F3 Show</source>
        <translation>F3 显示</translation>
    </message>
    <message>
        <location filename="../audit_screen.py" line="102"/>
        <source>F6 Export (masked)</source>
        <translation>F6 导出（已脱敏）</translation>
    </message>
    <message>
        <location filename="../audit_screen.py" line="103"/>
        <source>Esc Back</source>
        <translation>Esc 返回</translation>
    </message>
    <message>
        <location filename="../audit_screen.py" line="131"/>
        <source>%1 row(s).</source>
        <translation>%1 行。</translation>
    </message>
    <message>
        <location filename="../audit_screen.py" line="138"/>
        <source>%1 row(s) exported (names and numbers masked) to %2</source>
        <translation>已导出 %1 行到 %2（姓名和号码已脱敏）</translation>
    </message>
</context>
<context>
    <name>CameraPreview</name>
    <message>
        <location filename="../camera_preview.py" line="49"/>
        <source>No camera is enabled at this counter (devices.camera.enabled).</source>
        <translation>本柜台未启用摄像头（devices.camera.enabled）。</translation>
    </message>
    <message>
        <location filename="../camera_preview.py" line="51"/>
        <source>Waiting for the camera&apos;s first picture…</source>
        <translation>正在等待摄像头的第一幅画面…</translation>
    </message>
    <message>
        <location filename="../camera_preview.py" line="83"/>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <location filename="../camera_preview.py" line="84"/>
        <source>none yet</source>
        <translation>暂无</translation>
    </message>
    <message>
        <location filename="../camera_preview.py" line="85"/>
        <source>%1 frames/s · decode %2 · %3 frames, %4 decoded</source>
        <translation>%1 帧/秒 · 解码 %2 · 共 %3 帧，已解码 %4 帧</translation>
    </message>
    <message>
        <location filename="../camera_preview.py" line="90"/>
        <source>No code in view.</source>
        <translation>画面中没有码。</translation>
    </message>
    <message>
        <location filename="../camera_preview.py" line="92"/>
        <source>In view: %1</source>
        <translation>画面中：%1</translation>
    </message>
</context>
<context>
    <name>CheckoutScreen</name>
    <message>
        <location filename="../checkout_screen.py" line="54"/>
        <location filename="../checkout_screen.py" line="247"/>
        <source>Scan, or type a code, a name or pinyin initials, then Enter</source>
        <translation>扫码，或输入编码、名称或拼音首字母，然后按 Enter</translation>
    </message>
    <message>
        <location filename="../checkout_screen.py" line="86"/>
        <source>Help</source>
        <translation>帮助</translation>
    </message>
    <message>
        <location filename="../checkout_screen.py" line="87"/>
        <source>Read card</source>
        <translation>读卡</translation>
    </message>
    <message>
        <location filename="../checkout_screen.py" line="88"/>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <location filename="../checkout_screen.py" line="89"/>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../checkout_screen.py" line="90"/>
        <source>Void line</source>
        <translation>删除行</translation>
    </message>
    <message>
        <location filename="../checkout_screen.py" line="91"/>
        <source>Hold</source>
        <translation>挂单</translation>
    </message>
    <message>
        <location filename="../checkout_screen.py" line="92"/>
        <source>Resume</source>
        <translation>取单</translation>
    </message>
    <message>
        <location filename="../checkout_screen.py" line="93"/>
        <source>Account on/off</source>
        <translation>个账开/关</translation>
    </message>
    <message>
        <location filename="../checkout_screen.py" line="94"/>
        <source>Pre-settle</source>
        <translation>预结算</translation>
    </message>
    <message>
        <location filename="../checkout_screen.py" line="95"/>
        <source>Settle</source>
        <translation>结算</translation>
    </message>
    <message>
        <location filename="../checkout_screen.py" line="96"/>
        <source>Queue</source>
        <translation>待上传</translation>
    </message>
    <message>
        <location filename="../checkout_screen.py" line="97"/>
        <source>Void sale</source>
        <translation>作废整单</translation>
    </message>
    <message>
        <location filename="../checkout_screen.py" line="98"/>
        <source>Back / next customer</source>
        <translation>返回 / 下一位</translation>
    </message>
    <message>
        <location filename="../checkout_screen.py" line="138"/>
        <source>Scan or find drugs, read the card or scan the e-voucher, F9 to pre-settle, F10 to settle (type the cash received first).</source>
        <translation>扫描或查找药品，读卡或扫描医保电子凭证，F9 预结算，F10 结算（先输入实收现金）。</translation>
    </message>
    <message>
        <location filename="../checkout_screen.py" line="251"/>
        <source>Prescription number, then Enter</source>
        <translation>输入处方号，然后按 Enter</translation>
    </message>
    <message>
        <location filename="../checkout_screen.py" line="252"/>
        <source>The buyer&apos;s ID number (18 characters), then Enter</source>
        <translation>输入购药人身份证号（18 位），然后按 Enter</translation>
    </message>
    <message>
        <location filename="../checkout_screen.py" line="253"/>
        <source>Scan the code on each box (20 digits beginning with 8)</source>
        <translation>扫描每盒上的追溯码（以 8 开头的 20 位数字）</translation>
    </message>
    <message>
        <source>Type the cash received as a number, such as 100, then F10.</source>
        <translation type="vanished">请输入实收现金金额（如 100），然后按 F10。</translation>
    </message>
    <message>
        <location filename="../checkout_screen.py" line="195"/>
        <source>Nothing in the price list matches that.</source>
        <translation>价目表中没有匹配的药品。</translation>
    </message>
</context>
<context>
    <name>Core</name>
    <message>
        <location filename="../../answers.py" line="92"/>
        <source>the settlement&apos;s amounts do not add up: %1</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>结算金额对不上：%1</translation>
    </message>
    <message>
        <location filename="../../app/device_setup.py" line="58"/>
        <source>This counter was started without a configuration file of its own, so the choice cannot be saved: start it with run --config FILE (or TERMINAL_CONFIG) and save again.</source>
        <translation>本终端启动时没有指定自己的配置文件，无法保存所选设置：请用 run --config FILE（或 TERMINAL_CONFIG）启动后再保存。</translation>
    </message>
    <message>
        <location filename="../../app/device_setup.py" line="72"/>
        <source>Choose a camera or type its source: a number, a /dev/video device, a folder or a URL.</source>
        <translation>请选择摄像头或输入其来源：编号、/dev/video 设备、文件夹或网址。</translation>
    </message>
    <message>
        <location filename="../../app/device_setup.py" line="119"/>
        <location filename="../../app/device_setup.py" line="131"/>
        <location filename="../../app/device_setup.py" line="135"/>
        <location filename="../../config.py" line="40"/>
        <source>configuration</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>配置</translation>
    </message>
    <message>
        <location filename="../../app/device_setup.py" line="121"/>
        <location filename="../../config.py" line="42"/>
        <source>The configuration file %1 must hold a JSON object.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>配置文件 %1 必须是一个 JSON 对象。</translation>
    </message>
    <message>
        <location filename="../../app/device_setup.py" line="153"/>
        <source>The configuration file %1 holds %2 as something other than an object; fix the file first.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>配置文件 %1 中的 %2 不是一个对象；请先修正该文件。</translation>
    </message>
    <message>
        <location filename="../../app/receipts.py" line="27"/>
        <source>Sale %1 has no figures to print yet: it was never settled or estimated.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>销售 %1 还没有可打印的金额：它从未结算或预估。</translation>
    </message>
    <message>
        <location filename="../../app/receipts.py" line="55"/>
        <source>Sale %1 cannot be printed: its figures are damaged.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>销售 %1 无法打印：金额数据已损坏。</translation>
    </message>
    <message>
        <location filename="../../app/session.py" line="42"/>
        <source>Sign in first: type your operator number and PIN.</source>
        <translation>请先登录：输入操作员编号和 PIN 码。</translation>
    </message>
    <message>
        <location filename="../../app/station.py" line="244"/>
        <source>The card could not be read: take it out and insert it again.</source>
        <translation>读卡失败：请取出卡片后重新插入。</translation>
    </message>
    <message>
        <location filename="../../app/supervision.py" line="36"/>
        <source>Type the reason (2 to %1 characters): it is kept with the approval.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>请输入原因（2 到 %1 个字符）：它与授权一起保存。</translation>
    </message>
    <message>
        <location filename="../../basket.py" line="48"/>
        <source>%1: feedetl_sn %2 appears twice</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1：feedetl_sn %2 重复出现</translation>
    </message>
    <message>
        <location filename="../../catalog.py" line="47"/>
        <source>%1.%2 must be true or false</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1.%2 必须是 true 或 false</translation>
    </message>
    <message>
        <location filename="../../catalog.py" line="82"/>
        <source>The catalog lists %1 twice.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>目录中 %1 出现了两次。</translation>
    </message>
    <message>
        <location filename="../../catalog.py" line="93"/>
        <source>The barcode %1 appears twice in the catalog.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>条码 %1 在目录中出现了两次。</translation>
    </message>
    <message>
        <location filename="../../catalog.py" line="126"/>
        <source>The %1 must be a JSON list of entries.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1必须是由条目组成的 JSON 列表。</translation>
    </message>
    <message>
        <location filename="../../catalog.py" line="130"/>
        <source>The %1 has a bad entry: %2</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1中有错误条目：%2</translation>
    </message>
    <message>
        <location filename="../../catalog.py" line="136"/>
        <source>catalog</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>药品目录</translation>
    </message>
    <message>
        <location filename="../../client.py" line="50"/>
        <source>The settlement service cannot be reached; check the network cable or try again. Pharmacy sales can continue offline within limits.</source>
        <translation>无法连接医保结算服务：请检查网线或稍后重试。药店销售可在限额内离线继续。</translation>
    </message>
    <message>
        <location filename="../../client.py" line="67"/>
        <source>The settlement service did not answer, so the result of message %1 is unknown. Do not settle again; the terminal checks the outcome first.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>医保结算服务没有应答，报文 %1 的结果未知。请勿重复结算，终端会先核实结果。</translation>
    </message>
    <message>
        <location filename="../../client.py" line="67"/>
        <source>The settlement service did not answer; try again in a moment.</source>
        <translation>医保结算服务没有应答：请稍后重试。</translation>
    </message>
    <message>
        <location filename="../../client.py" line="74"/>
        <source>The settlement service refused this: %1.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>医保结算服务拒绝了此操作：%1。</translation>
    </message>
    <message>
        <location filename="../../client.py" line="83"/>
        <source>The settlement service sent an answer the terminal cannot read; call IT support.</source>
        <translation>医保结算服务返回了终端无法识别的应答：请联系 IT 人员。</translation>
    </message>
    <message>
        <location filename="../../counter.py" line="50"/>
        <source>The sale is being settled: wait for the receipt, then scan again.</source>
        <translation>正在结算：请等小票打出后再扫码。</translation>
    </message>
    <message>
        <location filename="../../counter.py" line="99"/>
        <source>%1 has no price in the catalog: enter its price.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 在目录中没有价格：请输入价格。</translation>
    </message>
    <message>
        <location filename="../../counter.py" line="108"/>
        <source>A sale holds at most %1 lines: settle this one and start another.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>每笔销售最多 %1 行：请先结算本笔，再开始新的一笔。</translation>
    </message>
    <message>
        <location filename="../../counter.py" line="127"/>
        <source>%1 is not a prescription drug: it needs no prescription number.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 不是处方药：不需要处方号。</translation>
    </message>
    <message>
        <location filename="../../counter.py" line="238"/>
        <source>This sale is already settled: scan the next customer&apos;s drugs.</source>
        <translation>本笔销售已结算：请扫描下一位顾客的药品。</translation>
    </message>
    <message>
        <location filename="../../counter.py" line="241"/>
        <source>Pre-settle first (F9), so the customer sees the split before paying.</source>
        <translation>请先预结算（F9），让顾客付款前看到费用分担。</translation>
    </message>
    <message>
        <location filename="../../counter.py" line="262"/>
        <source>Scan or find the drugs first.</source>
        <translation>请先扫描或查找药品。</translation>
    </message>
    <message>
        <location filename="../../counter.py" line="264"/>
        <source>Read the card (F2) or scan the e-voucher first.</source>
        <translation>请先读卡（F2）或扫描医保电子凭证。</translation>
    </message>
    <message>
        <location filename="../../counter.py" line="270"/>
        <source>This sale is settled: press Esc for the next customer.</source>
        <translation>本笔销售已结算：按 Esc 接待下一位顾客。</translation>
    </message>
    <message>
        <location filename="../../counter.py" line="283"/>
        <source>%1 is a restricted drug: at most %2 per person per sale.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 是限购药品：每人每次最多 %2。</translation>
    </message>
    <message>
        <location filename="../../counter.py" line="293"/>
        <source>Choose a line first (arrow keys), then change it.</source>
        <translation>请先用方向键选中一行，再修改。</translation>
    </message>
    <message>
        <location filename="../../counter.py" line="302"/>
        <source>The quantity must be more than 0, at most 100000, with at most 4 decimals.</source>
        <translation>数量必须大于 0、不超过 100000，最多 4 位小数。</translation>
    </message>
    <message>
        <location filename="../../counter.py" line="320"/>
        <source>This sale is not settled: settle it, hold it (F6) or void it first.</source>
        <translation>本笔销售尚未结算：请先结算、挂单（F6）或作废。</translation>
    </message>
    <message>
        <location filename="../../counter.py" line="334"/>
        <source>There is nothing to hold.</source>
        <translation>没有可挂单的销售。</translation>
    </message>
    <message>
        <location filename="../../counter.py" line="336"/>
        <source>This sale is settled: there is nothing to hold.</source>
        <translation>本笔销售已结算，无需挂单。</translation>
    </message>
    <message>
        <location filename="../../counter.py" line="338"/>
        <source>%1 sales are held already: finish one of them first.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>已挂单 %1 笔：请先完成其中一笔。</translation>
    </message>
    <message>
        <location filename="../../counter.py" line="347"/>
        <source>No sale is held.</source>
        <translation>没有挂单。</translation>
    </message>
    <message>
        <location filename="../../counter.py" line="349"/>
        <source>Finish or hold the current sale before taking a held one back.</source>
        <translation>请先完成或挂起当前销售，再取回挂单。</translation>
    </message>
    <message>
        <location filename="../../counter.py" line="353"/>
        <source>There is no held sale with that number.</source>
        <translation>没有这个编号的挂单。</translation>
    </message>
    <message>
        <location filename="../../counter.py" line="358"/>
        <source>Only a sale whose outcome is unknown can be set aside.</source>
        <translation>只有结果未知的销售才能暂放一旁。</translation>
    </message>
    <message>
        <location filename="../../counter.py" line="381"/>
        <source>Finish, hold (F6) or void (F12) the sale before signing out.</source>
        <translation>退出登录前，请先完成、挂单（F6）或作废（F12）当前销售。</translation>
    </message>
    <message>
        <location filename="../../devices/camera.py" line="97"/>
        <source>camera</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>摄像头</translation>
    </message>
    <message>
        <location filename="../../devices/camera.py" line="185"/>
        <source>The camera recording has ended.</source>
        <translation>摄像头录像已播放完毕。</translation>
    </message>
    <message>
        <location filename="../../devices/camera.py" line="195"/>
        <location filename="../../devices/camera.py" line="238"/>
        <source>The camera is in use by another program; close it or use the hand scanner.</source>
        <translation>摄像头被其他程序占用：请关闭该程序或改用手持扫码枪。</translation>
    </message>
    <message>
        <location filename="../../devices/camera.py" line="198"/>
        <location filename="../../devices/camera.py" line="204"/>
        <location filename="../../devices/camera.py" line="210"/>
        <location filename="../../devices/camera.py" line="214"/>
        <location filename="../../devices/camera_sources.py" line="189"/>
        <source>The camera is not connected; plug it in or use the hand scanner.</source>
        <translation>摄像头未连接：请插好摄像头或改用手持扫码枪。</translation>
    </message>
    <message>
        <location filename="../../devices/camera.py" line="236"/>
        <source>The camera stopped sending pictures; check its cable, it will be used again as soon as it is back.</source>
        <translation>摄像头没有画面：请检查线缆，恢复后会自动继续使用。</translation>
    </message>
    <message>
        <location filename="../../devices/camera_sources.py" line="97"/>
        <source>The camera picture folder holds no images.</source>
        <translation>摄像头图片文件夹中没有图片。</translation>
    </message>
    <message>
        <location filename="../../devices/camera_sources.py" line="122"/>
        <source>The camera video %1 cannot be played.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>无法播放摄像头视频 %1。</translation>
    </message>
    <message>
        <location filename="../../devices/camera_sources.py" line="144"/>
        <source>The camera source in the configuration is not valid.</source>
        <translation>配置中的摄像头来源无效。</translation>
    </message>
    <message>
        <location filename="../../devices/camera_sources.py" line="168"/>
        <source>The camera stream cannot be reached; check the camera and its network cable.</source>
        <translation>无法连接摄像头视频流：请检查摄像头及其网线。</translation>
    </message>
    <message>
        <location filename="../../devices/camera_sources.py" line="181"/>
        <source>The camera source does not exist; check the camera settings.</source>
        <translation>摄像头来源不存在：请检查摄像头设置。</translation>
    </message>
    <message>
        <location filename="../../devices/camera_sources.py" line="194"/>
        <source>The camera cannot be opened; close any other program using it.</source>
        <translation>无法打开摄像头：请关闭正在使用它的其他程序。</translation>
    </message>
    <message>
        <location filename="../../devices/cardreader/driver.py" line="80"/>
        <source>No card reader port is configured: set devices.card_reader.port or give --port.</source>
        <translation>未配置读卡器端口：请设置 devices.card_reader.port 或用 --port 指定。</translation>
    </message>
    <message>
        <location filename="../../devices/cardreader/driver.py" line="103"/>
        <source>card reader</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>读卡器</translation>
    </message>
    <message>
        <location filename="../../devices/cardreader/errors.py" line="19"/>
        <source>The card reader is not connected: check its cable and that it is switched on.</source>
        <translation>读卡器未连接：请检查线缆并确认读卡器已通电。</translation>
    </message>
    <message>
        <location filename="../../devices/cardreader/errors.py" line="35"/>
        <source>The card reader does not answer: unplug it, plug it back in and try again.</source>
        <translation>读卡器无响应：请拔下后重新插上，再试一次。</translation>
    </message>
    <message>
        <location filename="../../devices/cardreader/errors.py" line="45"/>
        <source>The card reader connection is garbled: check the reader cable and try again.</source>
        <translation>读卡器通信错乱：请检查读卡器线缆后重试。</translation>
    </message>
    <message>
        <location filename="../../devices/cardreader/errors.py" line="55"/>
        <source>The card reader is not a model this terminal supports: call the technician.</source>
        <translation>本终端不支持此型号的读卡器：请联系技术人员。</translation>
    </message>
    <message>
        <location filename="../../devices/cardreader/errors.py" line="62"/>
        <source>The card reader was shut down: restart the checkout and try again.</source>
        <translation>读卡器已关闭：请重启收银程序后重试。</translation>
    </message>
    <message>
        <location filename="../../devices/cardreader/errors.py" line="72"/>
        <source>No card in the reader: insert the social security card chip first.</source>
        <translation>读卡器中没有卡：请先将社保卡芯片端插入。</translation>
    </message>
    <message>
        <location filename="../../devices/cardreader/errors.py" line="80"/>
        <source>The card could not be read: take it out, wipe the chip and insert it again.</source>
        <translation>读卡失败：请取出卡片，擦拭芯片后重新插入。</translation>
    </message>
    <message>
        <location filename="../../devices/cardreader/errors.py" line="88"/>
        <source>The card failed its security check: ask for another card or an e-voucher.</source>
        <translation>卡片安全校验未通过：请顾客换一张卡或出示医保电子凭证。</translation>
    </message>
    <message>
        <location filename="../../devices/cardreader/errors.py" line="98"/>
        <source>The card&apos;s data could not be understood: take it out and insert it again.</source>
        <translation>无法识别卡内数据：请取出卡片后重新插入。</translation>
    </message>
    <message>
        <location filename="../../devices/cardreader/errors.py" line="107"/>
        <source>This social security card expired on %1: ask for a valid card or an e-voucher.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>此社保卡已于 %1 过期：请顾客出示有效卡片或医保电子凭证。</translation>
    </message>
    <message>
        <location filename="../../devices/decoding/backend.py" line="56"/>
        <source>The QR decoder &apos;%1&apos; is not known; check decoder.order in the configuration.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>未知的二维码解码器“%1”：请检查配置中的 decoder.order。</translation>
    </message>
    <message>
        <location filename="../../devices/decoding/backend.py" line="68"/>
        <source>The QR decoder &apos;%1&apos; cannot be loaded on this terminal.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>本终端无法加载二维码解码器“%1”。</translation>
    </message>
    <message>
        <location filename="../../devices/decoding/chain.py" line="64"/>
        <source>No QR decoder can be used on this terminal; QR codes cannot be scanned, call a technician.</source>
        <translation>本终端没有可用的二维码解码器，无法扫描二维码：请联系技术人员。</translation>
    </message>
    <message>
        <location filename="../../devices/decoding/chain.py" line="69"/>
        <source>The QR decoder pre-processing steps are not valid; check the decoder section of the configuration.</source>
        <translation>二维码解码预处理步骤无效：请检查配置中的 decoder 部分。</translation>
    </message>
    <message>
        <location filename="../../devices/decoding/chain.py" line="103"/>
        <source>This picture cannot be read; scan the code again.</source>
        <translation>无法识别此图像：请重新扫码。</translation>
    </message>
    <message>
        <location filename="../../devices/decoding/chain.py" line="174"/>
        <source>This code holds far more data than an e-voucher or a drug code; it cannot be used here.</source>
        <translation>此码的数据量远超医保电子凭证或药品码，不能在此使用。</translation>
    </message>
    <message>
        <location filename="../../devices/decoding/image.py" line="34"/>
        <source>image</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>图片</translation>
    </message>
    <message>
        <location filename="../../devices/decoding/image.py" line="37"/>
        <source>The file %1 is not a PNG, JPEG, GIF, BMP or WebP picture.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>文件 %1 不是 PNG、JPEG、GIF、BMP 或 WebP 图片。</translation>
    </message>
    <message>
        <location filename="../../devices/decoding/image.py" line="40"/>
        <source>The picture %1 is too large to be a photo of a code.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>图片 %1 太大，不可能是条码或二维码的照片。</translation>
    </message>
    <message>
        <location filename="../../devices/decoding/image.py" line="43"/>
        <source>The picture %1 is cut off (the file is incomplete); copy it again.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>图片 %1 不完整（文件被截断）：请重新复制。</translation>
    </message>
    <message>
        <location filename="../../devices/decoding/image.py" line="47"/>
        <source>The file %1 is not an image that can be read.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>文件 %1 不是可读取的图片。</translation>
    </message>
    <message>
        <location filename="../../devices/decoding/result.py" line="36"/>
        <source>This code does not hold readable text; it is not an e-voucher or a drug code.</source>
        <translation>此码不含可读文本，不是医保电子凭证或药品码。</translation>
    </message>
    <message>
        <location filename="../../devices/device.py" line="250"/>
        <source>The %1 stopped working: restart the checkout, and call the technician if it happens again.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1停止工作：请重启收银程序；如再次发生，请联系技术人员。</translation>
    </message>
    <message>
        <location filename="../../devices/printer.py" line="99"/>
        <location filename="../../devices/printer.py" line="274"/>
        <source>The receipt printer is out of paper: load paper and press Reprint.</source>
        <translation>小票打印机缺纸：请装纸后按“补打小票”。</translation>
    </message>
    <message>
        <location filename="../../devices/printer.py" line="104"/>
        <source>The receipt printer stopped answering: check its cable and that it is switched on. Press Reprint when it is back.</source>
        <translation>小票打印机无响应：请检查线缆并确认已通电。恢复后按“补打小票”。</translation>
    </message>
    <message>
        <location filename="../../devices/printer.py" line="113"/>
        <source>The receipt printer was closed before this receipt printed; press Reprint.</source>
        <translation>小票打印机在本张小票打印前已关闭：请按“补打小票”。</translation>
    </message>
    <message>
        <location filename="../../devices/printer.py" line="156"/>
        <location filename="../../devices/printer_links.py" line="272"/>
        <source>receipt printer</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>小票打印机</translation>
    </message>
    <message>
        <location filename="../../devices/printer.py" line="201"/>
        <location filename="../../devices/printer.py" line="334"/>
        <location filename="../../devices/printer.py" line="349"/>
        <source>The receipt printer stopped answering: check its cable and that it is switched on.</source>
        <translation>小票打印机无响应：请检查线缆并确认已通电。</translation>
    </message>
    <message>
        <location filename="../../devices/printer_links.py" line="72"/>
        <source>The receipt printer (%1) cannot be reached: check its cable and that it is switched on.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>无法连接小票打印机（%1）：请检查线缆并确认已通电。</translation>
    </message>
    <message>
        <location filename="../../devices/printer_links.py" line="139"/>
        <source>The receipt printer&apos;s host name %1 is not known: check devices.printer.host.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>小票打印机的主机名 %1 无法解析：请检查 devices.printer.host。</translation>
    </message>
    <message>
        <location filename="../../devices/printer_links.py" line="308"/>
        <source>USB receipt printers need the pyusb package: install it (pip install pyusb) or connect the printer by serial or network.</source>
        <translation>USB 小票打印机需要 pyusb 软件包：请安装（pip install pyusb），或改用串口或网络连接打印机。</translation>
    </message>
    <message>
        <location filename="../../devices/scan_codes.py" line="43"/>
        <source>The scanner read an empty code; scan it again.</source>
        <translation>扫码枪读到空码：请重新扫描。</translation>
    </message>
    <message>
        <location filename="../../devices/scan_codes.py" line="50"/>
        <source>This code is far too long to be an e-voucher or a drug barcode; ask the patient to open the medical-insurance e-voucher in the app.</source>
        <translation>此码过长，不是医保电子凭证或药品条码：请患者在 App 中打开医保电子凭证。</translation>
    </message>
    <message>
        <location filename="../../devices/scan_codes.py" line="60"/>
        <source>This code holds data the terminal cannot read; it is not an e-voucher or a drug barcode.</source>
        <translation>此码含有终端无法读取的数据，不是医保电子凭证或药品条码。</translation>
    </message>
    <message>
        <location filename="../../devices/scan_codes.py" line="77"/>
        <source>The barcode did not scan cleanly; scan it again.</source>
        <translation>条码未扫清楚：请重新扫描。</translation>
    </message>
    <message>
        <location filename="../../devices/scan_codes.py" line="86"/>
        <source>This barcode is not in the drug catalog; enter the drug by its code or name instead.</source>
        <translation>药品目录中没有此条码：请改用药品编码或名称录入。</translation>
    </message>
    <message>
        <location filename="../../devices/scan_codes.py" line="93"/>
        <source>This traceability code has %1 digits, not 20: scan the box&apos;s code again.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>此追溯码有 %1 位，不是 20 位：请重新扫描药盒上的追溯码。</translation>
    </message>
    <message>
        <location filename="../../devices/scan_codes.py" line="151"/>
        <location filename="../../devices/scan_codes.py" line="208"/>
        <source>This QR code is a web link, not a medical-insurance e-voucher; ask the patient to open the e-voucher in the app.</source>
        <translation>此二维码是网页链接，不是医保电子凭证：请患者在 App 中打开医保电子凭证。</translation>
    </message>
    <message>
        <location filename="../../devices/scan_codes.py" line="151"/>
        <location filename="../../devices/scan_codes.py" line="208"/>
        <source>This code is not a medical-insurance e-voucher or a drug barcode; ask the patient to open the e-voucher in the app.</source>
        <translation>此码不是医保电子凭证，也不是药品条码：请患者在 App 中打开医保电子凭证。</translation>
    </message>
    <message>
        <location filename="../../devices/scan_codes.py" line="151"/>
        <location filename="../../devices/scan_codes.py" line="208"/>
        <source>This is a payment code, not the medical-insurance e-voucher; ask the patient to open the e-voucher in the app.</source>
        <translation>这是付款码，不是医保电子凭证：请患者在 App 中打开医保电子凭证。</translation>
    </message>
    <message>
        <location filename="../../devices/scan_codes.py" line="190"/>
        <source>This e-voucher could not be read completely; scan it again, or ask the patient to refresh the code in the app.</source>
        <translation>医保电子凭证未能完整读取：请重新扫描，或请患者在 App 中刷新二维码。</translation>
    </message>
    <message>
        <location filename="../../devices/serial_link.py" line="110"/>
        <source>The serial port %1 was lost and cannot be opened again: restart the checkout.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>串口 %1 已断开且无法重新打开：请重启收银程序。</translation>
    </message>
    <message>
        <location filename="../../devices/serial_link.py" line="230"/>
        <source>The serial port %1 stopped working; the terminal opens it again.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>串口 %1 停止工作，终端正在重新打开。</translation>
    </message>
    <message>
        <location filename="../../devices/serial_scanner.py" line="132"/>
        <source>No serial scanner port is configured (devices.serial_scanner.port).</source>
        <translation>未配置串口扫码枪端口（devices.serial_scanner.port）。</translation>
    </message>
    <message>
        <location filename="../../devices/serial_scanner.py" line="153"/>
        <source>serial scanner</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>串口扫码枪</translation>
    </message>
    <message>
        <location filename="../../errors.py" line="49"/>
        <source>The terminal is still starting: wait a moment and try again.</source>
        <translation>终端正在启动：请稍候再试。</translation>
    </message>
    <message>
        <location filename="../../errors.py" line="56"/>
        <source>Something went wrong inside the terminal; the sale is kept. Call the technician.</source>
        <translation>终端内部出错；销售记录已保存。请联系技术人员。</translation>
    </message>
    <message>
        <location filename="../../faults.py" line="43"/>
        <source>The folder for the %1 %2 does not exist; create it or choose another path.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 %2 所在的文件夹不存在：请创建该文件夹或另选路径。</translation>
    </message>
    <message>
        <location filename="../../faults.py" line="45"/>
        <source>The %1 file %2 does not exist.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1文件 %2 不存在。</translation>
    </message>
    <message>
        <location filename="../../faults.py" line="47"/>
        <source>The %1 file %2 is a folder, not a file.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1文件 %2 是文件夹，不是文件。</translation>
    </message>
    <message>
        <location filename="../../faults.py" line="49"/>
        <source>%1 already exists; choose another name for the %2 file.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 已存在：请为%2文件另取一个名称。</translation>
    </message>
    <message>
        <location filename="../../faults.py" line="51"/>
        <source>The %1 file %2 cannot be used: check the name.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1文件 %2 无法使用：请检查文件名。</translation>
    </message>
    <message>
        <location filename="../../faults.py" line="53"/>
        <source>The %1 file %2 may not be read or written by this user; ask IT to fix its permissions.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>当前用户无权读写%1文件 %2：请让 IT 人员修正权限。</translation>
    </message>
    <message>
        <location filename="../../faults.py" line="56"/>
        <source>The disk holding the %1 file %2 is full; free some space.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1文件 %2 所在的磁盘已满：请清理出一些空间。</translation>
    </message>
    <message>
        <location filename="../../faults.py" line="59"/>
        <source>The %1 file %2 is on a read-only disk; ask IT to check the disk.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1文件 %2 位于只读磁盘上：请让 IT 人员检查磁盘。</translation>
    </message>
    <message>
        <location filename="../../faults.py" line="61"/>
        <source>The %1 file %2 cannot be used: the disk or the system failed.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1文件 %2 无法使用：磁盘或系统出现故障。</translation>
    </message>
    <message>
        <location filename="../../faults.py" line="69"/>
        <source>The terminal&apos;s state folder %1 cannot be used: a file is in its way. Set terminal.state_dir or TERMINAL_STATE_DIR to a folder.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>终端状态文件夹 %1 无法使用：该位置被一个文件占用。请将 terminal.state_dir 或 TERMINAL_STATE_DIR 设为一个文件夹。</translation>
    </message>
    <message>
        <location filename="../../faults.py" line="71"/>
        <source>terminal state</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>终端状态</translation>
    </message>
    <message>
        <location filename="../../faults.py" line="77"/>
        <source>The %1 file %2 is not a regular file.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1文件 %2 不是普通文件。</translation>
    </message>
    <message>
        <location filename="../../faults.py" line="87"/>
        <source>The serial port %1 is not a port name or URL this terminal understands.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>串口 %1 不是本终端能识别的端口名或 URL。</translation>
    </message>
    <message>
        <location filename="../../faults.py" line="90"/>
        <source>This user may not open the serial port %1; ask IT to add it to the dialout group.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>当前用户无权打开串口 %1：请让 IT 人员将该用户加入 dialout 组。</translation>
    </message>
    <message>
        <location filename="../../faults.py" line="93"/>
        <source>The serial port %1 is in use by another program; close it.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>串口 %1 被其他程序占用：请关闭该程序。</translation>
    </message>
    <message>
        <location filename="../../faults.py" line="95"/>
        <source>The serial port %1 cannot be used: check the cable and that the device is switched on.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>串口 %1 无法使用：请检查线缆并确认设备已通电。</translation>
    </message>
    <message>
        <location filename="../../faults.py" line="102"/>
        <source>The host name in %1 is not known; check the address.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 中的主机名无法解析：请检查地址。</translation>
    </message>
    <message>
        <location filename="../../faults.py" line="104"/>
        <source>%1 is already in use by another program; choose another port or stop that program.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 已被其他程序占用：请换一个端口或停止该程序。</translation>
    </message>
    <message>
        <location filename="../../faults.py" line="107"/>
        <source>This user may not use %1; choose a port above 1024.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>当前用户无权使用 %1：请选择 1024 以上的端口。</translation>
    </message>
    <message>
        <location filename="../../faults.py" line="108"/>
        <source>%1 cannot be reached; check the network.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>无法连接 %1：请检查网络。</translation>
    </message>
    <message>
        <location filename="../../faults.py" line="162"/>
        <source>%1 cannot be opened: check that its folder exists and may be written.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>无法打开 %1：请确认其所在文件夹存在且可写。</translation>
    </message>
    <message>
        <location filename="../../faults.py" line="162"/>
        <source>%1 cannot be written (read-only file or disk): call IT.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 无法写入（文件或磁盘为只读）：请联系 IT 人员。</translation>
    </message>
    <message>
        <location filename="../../faults.py" line="162"/>
        <source>%1 is busy in another program: wait a moment and try again.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 正被其他程序使用：请稍候再试。</translation>
    </message>
    <message>
        <location filename="../../faults.py" line="162"/>
        <source>%1 is damaged: stop and call IT; do not delete it.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 已损坏：请停止操作并联系 IT 人员，切勿删除。</translation>
    </message>
    <message>
        <location filename="../../faults.py" line="162"/>
        <source>%1 is not a database this terminal made: check the file name or call IT.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 不是本终端创建的数据库：请检查文件名或联系 IT 人员。</translation>
    </message>
    <message>
        <location filename="../../faults.py" line="162"/>
        <source>The computer ran out of memory while using %1: restart the terminal.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>使用 %1 时电脑内存不足：请重启终端。</translation>
    </message>
    <message>
        <location filename="../../faults.py" line="162"/>
        <source>The disk holding %1 is full: free some space; nothing already saved is lost.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 所在的磁盘已满：请清理出一些空间；已保存的数据不会丢失。</translation>
    </message>
    <message>
        <location filename="../../faults.py" line="162"/>
        <source>The disk holding %1 reported an error: call IT to check the disk.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 所在的磁盘报告错误：请联系 IT 人员检查磁盘。</translation>
    </message>
    <message>
        <location filename="../../fee_list.py" line="65"/>
        <source> (and %1 more)</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there. %1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>（另有 %1 处）</translation>
    </message>
    <message>
        <location filename="../../fee_list.py" line="65"/>
        <source>The fee list %1 has %2 problem(s), so nothing was uploaded: %3. Fix the file and import it again.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>费用清单 %1 有 %2 处问题，因此什么都没有上传：%3。请改正文件后重新导入。</translation>
    </message>
    <message>
        <location filename="../../fee_list.py" line="116"/>
        <source>fee list</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>费用清单</translation>
    </message>
    <message>
        <location filename="../../fee_list.py" line="120"/>
        <source>The fee list %1 is not UTF-8 text; save it as UTF-8 (CSV or JSON).</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>费用清单 %1 不是 UTF-8 文本：请另存为 UTF-8（CSV 或 JSON）。</translation>
    </message>
    <message>
        <location filename="../../fee_list.py" line="148"/>
        <source>The fee list %1 is not valid JSON: %2</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>费用清单 %1 不是有效的 JSON：%2</translation>
    </message>
    <message>
        <location filename="../../fee_list.py" line="151"/>
        <source>The fee list %1 must be a JSON list of fees, or an object with a &quot;fees&quot; list.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>费用清单 %1 必须是费用的 JSON 列表，或含 &quot;fees&quot; 列表的对象。</translation>
    </message>
    <message>
        <location filename="../../fee_list.py" line="161"/>
        <source>The fee list %1 has no fees.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>费用清单 %1 中没有费用。</translation>
    </message>
    <message>
        <location filename="../../fee_list.py" line="163"/>
        <source>The fee list %1 has %2 fees, more than %3; split it.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>费用清单 %1 有 %2 条费用，超过 %3 条：请拆分。</translation>
    </message>
    <message>
        <location filename="../../fields.py" line="39"/>
        <source>%1 must be a JSON object</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 必须是 JSON 对象</translation>
    </message>
    <message>
        <location filename="../../fields.py" line="65"/>
        <location filename="../../fields.py" line="95"/>
        <location filename="../../fields.py" line="111"/>
        <location filename="../../fields.py" line="129"/>
        <source>%1 is required</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>缺少 %1</translation>
    </message>
    <message>
        <location filename="../../fields.py" line="67"/>
        <source>%1 must be a string, got %2</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 必须是字符串，实际为%2</translation>
    </message>
    <message>
        <location filename="../../fields.py" line="67"/>
        <location filename="../../fields.py" line="115"/>
        <location filename="../../money.py" line="118"/>
        <source>a float (inexact: write the number as a string)</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>浮点数（不精确：请把数字写成字符串）</translation>
    </message>
    <message>
        <location filename="../../fields.py" line="67"/>
        <location filename="../../fields.py" line="115"/>
        <location filename="../../money.py" line="118"/>
        <source>a list</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>列表</translation>
    </message>
    <message>
        <location filename="../../fields.py" line="67"/>
        <location filename="../../fields.py" line="115"/>
        <location filename="../../money.py" line="118"/>
        <location filename="../../setting_fields.py" line="119"/>
        <location filename="../../setting_fields.py" line="221"/>
        <location filename="../../setting_fields.py" line="223"/>
        <source>a number</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>数字</translation>
    </message>
    <message>
        <location filename="../../fields.py" line="67"/>
        <location filename="../../fields.py" line="115"/>
        <location filename="../../money.py" line="118"/>
        <source>an object</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>对象</translation>
    </message>
    <message>
        <location filename="../../fields.py" line="67"/>
        <location filename="../../fields.py" line="115"/>
        <location filename="../../money.py" line="118"/>
        <source>false</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>false</translation>
    </message>
    <message>
        <location filename="../../fields.py" line="67"/>
        <location filename="../../fields.py" line="115"/>
        <location filename="../../money.py" line="118"/>
        <source>null</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>null</translation>
    </message>
    <message>
        <location filename="../../fields.py" line="67"/>
        <location filename="../../fields.py" line="115"/>
        <location filename="../../money.py" line="118"/>
        <location filename="../../setting_fields.py" line="119"/>
        <source>text</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>文本</translation>
    </message>
    <message>
        <location filename="../../fields.py" line="67"/>
        <location filename="../../fields.py" line="115"/>
        <location filename="../../money.py" line="118"/>
        <source>true</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>true</translation>
    </message>
    <message>
        <location filename="../../fields.py" line="69"/>
        <source>%1 is longer than %2 characters</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 超过 %2 个字符</translation>
    </message>
    <message>
        <location filename="../../fields.py" line="74"/>
        <source>%1 must be one of %2; got %3</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 必须是 %2 之一，实际为 %3</translation>
    </message>
    <message>
        <location filename="../../fields.py" line="76"/>
        <source>%1 is malformed: %2</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 格式错误：%2</translation>
    </message>
    <message>
        <location filename="../../fields.py" line="115"/>
        <source>%1 must be a whole number such as 12, got %2</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 必须是整数（如 12），实际为%2</translation>
    </message>
    <message>
        <location filename="../../fields.py" line="115"/>
        <source>%1 must be a whole number such as 12, got %2 %3</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 必须是整数（如 12），实际为%2 %3</translation>
    </message>
    <message>
        <location filename="../../fields.py" line="118"/>
        <location filename="../../money.py" line="79"/>
        <source>%1 must be at least %2</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 不能小于 %2</translation>
    </message>
    <message>
        <location filename="../../fields.py" line="120"/>
        <location filename="../../money.py" line="81"/>
        <source>%1 must be at most %2</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 不能大于 %2</translation>
    </message>
    <message>
        <location filename="../../fields.py" line="135"/>
        <source>%1 must be a list</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 必须是列表</translation>
    </message>
    <message>
        <location filename="../../fields.py" line="137"/>
        <source>%1 must not be empty</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 不能为空</translation>
    </message>
    <message>
        <location filename="../../fields.py" line="139"/>
        <source>%1 has more than %2 entries</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 超过 %2 项</translation>
    </message>
    <message>
        <location filename="../../files.py" line="49"/>
        <source>The %1 file %2 is empty.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1文件 %2 为空。</translation>
    </message>
    <message>
        <location filename="../../files.py" line="53"/>
        <source>The %1 file %2 is not UTF-8 text.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1文件 %2 不是 UTF-8 文本。</translation>
    </message>
    <message>
        <location filename="../../files.py" line="57"/>
        <source>The %1 file %2 is not valid JSON: %3</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1文件 %2 不是有效的 JSON：%3</translation>
    </message>
    <message>
        <location filename="../../files.py" line="84"/>
        <source>The %1 file %2 is larger than %3 KiB; it cannot be a %4 file.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1文件 %2 大于 %3 KiB，不可能是%4文件。</translation>
    </message>
    <message>
        <location filename="../../files.py" line="103"/>
        <source>%1 at line %2 column %3.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>第 %2 行第 %3 列：%1。</translation>
    </message>
    <message>
        <location filename="../../files.py" line="105"/>
        <location filename="../../files.py" line="174"/>
        <source>it is nested too deeply.</source>
        <translation>嵌套层数过多。</translation>
    </message>
    <message>
        <location filename="../../files.py" line="126"/>
        <location filename="../../files.py" line="138"/>
        <source>it holds a number of %1 digits.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>其中有一个 %1 位的数字。</translation>
    </message>
    <message>
        <location filename="../../files.py" line="135"/>
        <source>it holds the number %1 in exponent notation; write plain digits such as 12.30.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>其中的数字 %1 使用了科学计数法：请写成 12.30 这样的普通数字。</translation>
    </message>
    <message>
        <location filename="../../files.py" line="143"/>
        <source>it holds %1, which is not a number.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>其中的 %1 不是数字。</translation>
    </message>
    <message>
        <location filename="../../files.py" line="190"/>
        <source>it holds a lone surrogate (%1), which is not text.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>其中含有孤立的代理字符（%1），不是有效文本。</translation>
    </message>
    <message>
        <location filename="../../lockouts.py" line="73"/>
        <source>operator lockout</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>操作员锁定</translation>
    </message>
    <message>
        <location filename="../../logs.py" line="148"/>
        <source>The log level %1 is not one of %2.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>日志级别 %1 不是 %2 之一。</translation>
    </message>
    <message>
        <location filename="../../logs.py" line="156"/>
        <source>%1 is not MODULE=LEVEL, such as terminal.devices.camera=debug.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 不是“模块=级别”的格式，例如 terminal.devices.camera=debug。</translation>
    </message>
    <message>
        <location filename="../../logs.py" line="165"/>
        <source>log levels</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>日志级别</translation>
    </message>
    <message>
        <location filename="../../logs.py" line="167"/>
        <source>The log levels file %1 must hold a JSON object of module -&gt; level.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>日志级别文件 %1 必须是“模块 -&gt; 级别”的 JSON 对象。</translation>
    </message>
    <message>
        <location filename="../../logs.py" line="171"/>
        <source>The log levels file %1 gives %2 a level that is not text.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>日志级别文件 %1 给 %2 的级别不是文本。</translation>
    </message>
    <message>
        <location filename="../../money.py" line="83"/>
        <source>%1 must not be zero</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 不能为零</translation>
    </message>
    <message>
        <location filename="../../money.py" line="94"/>
        <source>%1 has more than %2 decimal places</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 的小数超过 %2 位</translation>
    </message>
    <message>
        <location filename="../../money.py" line="96"/>
        <source>%1 is written with more than %2 decimal places</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 写了超过 %2 位小数</translation>
    </message>
    <message>
        <location filename="../../money.py" line="104"/>
        <location filename="../../money.py" line="110"/>
        <location filename="../../money.py" line="116"/>
        <source>%1 is too long to be a number</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 太长，不是有效数字</translation>
    </message>
    <message>
        <location filename="../../money.py" line="106"/>
        <source>%1 is not a plain decimal number: %2</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 不是普通的十进制数：%2</translation>
    </message>
    <message>
        <location filename="../../money.py" line="114"/>
        <source>%1 is not a number</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 不是数字</translation>
    </message>
    <message>
        <location filename="../../money.py" line="118"/>
        <source>%1 must be a decimal number such as &quot;12.30&quot;, got %2</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 必须是十进制数（如 &quot;12.30&quot;），实际为%2</translation>
    </message>
    <message>
        <location filename="../../offline/checkout.py" line="57"/>
        <source>The settlement service cannot be reached and this terminal has no price list copy yet, so it cannot sell on insurance offline; sell for cash.</source>
        <translation>无法连接医保结算服务，且本终端还没有价目表副本，不能离线医保销售：请按现金销售。</translation>
    </message>
    <message>
        <location filename="../../offline/checkout.py" line="63"/>
        <source>The traceability code %1 on line %2 was already sold at this counter (sale %3): each box is sold once; take that box back.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>第 %2 行的追溯码 %1 已在本收银台售出（交易 %3）：一盒只能售出一次；请收回该药盒。</translation>
    </message>
    <message>
        <location filename="../../offline/checkout.py" line="128"/>
        <source>The last answer of the settlement service said this person&apos;s insurance is suspended; sell for cash.</source>
        <translation>医保结算服务上次应答显示此人医保已暂停：请按现金销售。</translation>
    </message>
    <message>
        <location filename="../../offline/checkout.py" line="173"/>
        <source>Sale %1 is %2: it cannot be settled now.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>销售 %1 的状态为 %2：现在不能结算。</translation>
    </message>
    <message>
        <location filename="../../offline/checkout.py" line="245"/>
        <source>Sale %1 is %2: its basket can no longer change.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>销售 %1 的状态为 %2：药品清单已不能修改。</translation>
    </message>
    <message>
        <location filename="../../offline/estimate.py" line="34"/>
        <source>The settlement service cannot be reached and %1, so this cannot be sold on insurance now; sell it for cash or wait for the network.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>无法连接医保结算服务，且%1，现在不能按医保销售：请按现金销售或等待网络恢复。</translation>
    </message>
    <message>
        <location filename="../../offline/estimate.py" line="71"/>
        <source>The offline price list has no benefit for this person; sell for cash.</source>
        <translation>离线价目表中没有此人的医保待遇：请按现金销售。</translation>
    </message>
    <message>
        <location filename="../../offline/estimate.py" line="79"/>
        <source>this sale of %1 yuan is above the offline limit of %2 per sale</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there. %1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>本笔销售 %1 元，超过离线单笔限额 %2 元</translation>
    </message>
    <message>
        <location filename="../../offline/estimate.py" line="83"/>
        <source>the sales waiting to be forwarded would come to %1 yuan, above the limit of %2</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there. %1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>待上传销售合计将达 %1 元，超过限额 %2 元</translation>
    </message>
    <message>
        <location filename="../../offline/estimate.py" line="88"/>
        <source>%1 sales are already waiting to be forwarded, the limit is %2</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there. %1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>已有 %1 笔销售等待上传，上限为 %2 笔</translation>
    </message>
    <message>
        <location filename="../../offline/estimate.py" line="94"/>
        <source>the oldest sale waiting to be forwarded (from %1) is older than %2 hours</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there. %1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>最早一笔待上传销售（%1）已超过 %2 小时</translation>
    </message>
    <message>
        <location filename="../../offline/forwarder.py" line="66"/>
        <source>Another forwarder is already sending this journal&apos;s sales (%1); nothing was sent by this one.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>另一个上传程序正在发送本交易日志中的销售（%1），本次未发送任何数据。</translation>
    </message>
    <message>
        <location filename="../../offline/history.py" line="45"/>
        <source>The last day is before the first: choose the days again.</source>
        <translation>结束日期早于开始日期：请重新选择。</translation>
    </message>
    <message>
        <location filename="../../offline/history.py" line="47"/>
        <source>Look up at most %1 days at a time.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>一次最多查询 %1 天。</translation>
    </message>
    <message>
        <location filename="../../offline/history.py" line="50"/>
        <source>A receipt or settlement number is 4 to 40 letters, digits or dashes.</source>
        <translation>小票号或结算号为 4 到 40 个字母、数字或短横线。</translation>
    </message>
    <message>
        <location filename="../../offline/history.py" line="52"/>
        <source>No such state to look for: %1.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>没有这种状态可查：%1。</translation>
    </message>
    <message>
        <location filename="../../offline/history.py" line="55"/>
        <source>Type at most 40 characters of the person&apos;s number, ID or name.</source>
        <translation>人员编号、证件号或姓名最多输入 40 个字符。</translation>
    </message>
    <message>
        <location filename="../../offline/hospital_desk.py" line="56"/>
        <source>The settlement service cannot be reached: hospital visits are settled online only. Check the network and try again.</source>
        <translation>无法连接医保结算服务：门诊和住院只能联网结算。请检查网络后重试。</translation>
    </message>
    <message>
        <location filename="../../offline/hospital_desk.py" line="78"/>
        <source>This person&apos;s insurance is suspended: the visit is paid in cash, outside insurance.</source>
        <translation>此人医保已暂停：本次就诊按自费现金结算，不走医保。</translation>
    </message>
    <message>
        <location filename="../../offline/hospital_desk.py" line="111"/>
        <source>Visit %1 was cancelled.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>就诊 %1 已撤销。</translation>
    </message>
    <message>
        <location filename="../../offline/hospital_desk.py" line="113"/>
        <source>The registration was not answered by the service; register again.</source>
        <translation>医保服务没有应答这次登记：请重新登记。</translation>
    </message>
    <message>
        <location filename="../../offline/hospital_desk.py" line="142"/>
        <source>Visit %1 has a settlement: cancel the settlement first.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>就诊 %1 已有结算：请先撤销结算。</translation>
    </message>
    <message>
        <location filename="../../offline/hospital_desk.py" line="144"/>
        <source>Stay %1 still has %2 fee(s): cancel them first.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>住院 %1 还有 %2 条费用：请先撤销费用。</translation>
    </message>
    <message>
        <location filename="../../offline/hospital_desk.py" line="151"/>
        <source>Stay %1 is already discharged.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>住院 %1 已办理出院。</translation>
    </message>
    <message>
        <location filename="../../offline/hospital_desk.py" line="158"/>
        <source>Stay %1 is not discharged and unsettled: nothing to cancel.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>住院 %1 不是“已出院未结算”状态：没有可撤销的出院。</translation>
    </message>
    <message>
        <location filename="../../offline/hospital_desk.py" line="168"/>
        <source>Stay %1 is settled: cancel the settlement to add fees.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>住院 %1 已结算：要补录费用请先撤销结算。</translation>
    </message>
    <message>
        <location filename="../../offline/hospital_desk.py" line="194"/>
        <source>Visit %1 has no unsettled fees to cancel.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>就诊 %1 没有可撤销的未结算费用。</translation>
    </message>
    <message>
        <location filename="../../offline/hospital_desk.py" line="198"/>
        <source>Outpatient fees are cancelled by batch: fee %1 is in batch %2; type %3 to cancel that batch.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>门诊费用按批次撤销：费用 %1 在批次 %2 中；输入 %3 撤销该批次。</translation>
    </message>
    <message>
        <location filename="../../offline/hospital_desk.py" line="200"/>
        <source>Visit %1 has no unsettled batch %2.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>就诊 %1 没有未结算的批次 %2。</translation>
    </message>
    <message>
        <location filename="../../offline/hospital_desk.py" line="203"/>
        <source>Stay %1 has no unsettled fee %2.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>住院 %1 没有未结算的费用 %2。</translation>
    </message>
    <message>
        <location filename="../../offline/hospital_desk.py" line="216"/>
        <source>Visit %1 has no unsettled fees: upload the fees first.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>就诊 %1 没有未结算费用：请先上传费用。</translation>
    </message>
    <message>
        <location filename="../../offline/hospital_desk.py" line="218"/>
        <source>Stay %1 is not discharged: discharge the patient first.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>住院 %1 尚未出院：请先办理出院。</translation>
    </message>
    <message>
        <location filename="../../offline/hospital_desk.py" line="248"/>
        <source>Settlement %1 is %2: pre-settle again.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>结算 %1 状态为 %2：请重新预结算。</translation>
    </message>
    <message>
        <location filename="../../offline/hospital_desk.py" line="250"/>
        <source>The fees changed since the pre-settlement: pre-settle again.</source>
        <translation>预结算后费用有变化：请重新预结算。</translation>
    </message>
    <message>
        <location filename="../../offline/hospital_desk.py" line="258"/>
        <source>Visit %1 has no settlement to cancel.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>就诊 %1 没有可撤销的结算。</translation>
    </message>
    <message>
        <location filename="../../offline/hospital_desk.py" line="269"/>
        <source>The service refused the cancel.</source>
        <translation>医保服务拒绝了撤销。</translation>
    </message>
    <message>
        <location filename="../../offline/journal.py" line="34"/>
        <source>The journal is closed: restart the terminal.</source>
        <translation>交易日志已关闭：请重启终端。</translation>
    </message>
    <message>
        <location filename="../../offline/queue_actions.py" line="50"/>
        <source>export</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../../offline/reversal.py" line="56"/>
        <source>A cash sale never reached the settlement service: refund it at the counter.</source>
        <translation>现金销售未经医保结算：请在柜台退现金。</translation>
    </message>
    <message>
        <location filename="../../offline/reversal.py" line="60"/>
        <source>A %1 cannot be reversed at the counter.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 不能在柜台冲正。</translation>
    </message>
    <message>
        <location filename="../../offline/reversal.py" line="68"/>
        <source>Transaction %1 is %2: only a settlement that stands, or a message whose outcome is unknown, can be reversed.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>交易 %1 状态为 %2：只有有效的结算或结果未知的交易可以冲正。</translation>
    </message>
    <message>
        <location filename="../../offline/reversal.py" line="79"/>
        <source>A reversal of %1 is already on its way: wait for its answer.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 的冲正已在发送中：请等待应答。</translation>
    </message>
    <message>
        <location filename="../../offline/shift.py" line="123"/>
        <source> and %1 more</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there. %1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>等另外 %1 笔</translation>
    </message>
    <message>
        <location filename="../../offline/shift.py" line="123"/>
        <source>The day %1 cannot be closed: %2 transaction(s) still wait for the service: %3. Forward them first, or a supervisor overrides with a reason.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 不能日结：仍有 %2 笔交易等待医保服务：%3。请先上传，或由主管填写原因后强制日结。</translation>
    </message>
    <message>
        <location filename="../../offline/shift.py" line="130"/>
        <source>The day %1 is already closed.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 已经日结。</translation>
    </message>
    <message>
        <location filename="../../offline/shift.py" line="158"/>
        <source>%1 is not a day: yyyy-MM-dd.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 不是日期：应为 yyyy-MM-dd。</translation>
    </message>
    <message>
        <location filename="../../offline/store.py" line="80"/>
        <source>The journal %1 is not a file; set offline.journal or --db to a file.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>交易日志 %1 不是文件：请将 offline.journal 或 --db 设为一个文件。</translation>
    </message>
    <message>
        <location filename="../../offline/store.py" line="84"/>
        <source>journal</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>交易日志</translation>
    </message>
    <message>
        <location filename="../../offline/store.py" line="99"/>
        <source>%1 is an SQLite file of another program, not a journal; choose another file.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 是其他程序的 SQLite 文件，不是交易日志：请另选文件。</translation>
    </message>
    <message>
        <location filename="../../offline/store.py" line="102"/>
        <source>The journal %1 was written by a newer version of the terminal; install that version again.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>交易日志 %1 由更新版本的终端写入：请重新安装该版本。</translation>
    </message>
    <message>
        <location filename="../../offline/store.py" line="126"/>
        <source>The journal %1 is damaged: stop selling and call IT; do not delete it.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>交易日志 %1 已损坏：请停止销售并联系 IT 人员，切勿删除。</translation>
    </message>
    <message>
        <location filename="../../offline/store.py" line="139"/>
        <location filename="../../offline/store.py" line="148"/>
        <source>the journal %1</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there. %1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>交易日志 %1</translation>
    </message>
    <message>
        <location filename="../../offline/store.py" line="141"/>
        <source>The journal %1 cannot be checked.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>无法检查交易日志 %1。</translation>
    </message>
    <message>
        <location filename="../../offline/transactions.py" line="36"/>
        <source>The journal has no transaction %1; check the number (queue list shows them).</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>交易日志中没有交易 %1：请核对编号（queue list 可列出全部交易）。</translation>
    </message>
    <message>
        <location filename="../../offline/transactions.py" line="383"/>
        <source>Transaction %1 is %2: there is nothing to retry.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>交易 %1 的状态为 %2：无需重试。</translation>
    </message>
    <message>
        <location filename="../../offline/visit_journal.py" line="50"/>
        <source>Message %1 is being checked with the service right now; wait a moment.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>正在向医保服务核实报文 %1：请稍候。</translation>
    </message>
    <message>
        <location filename="../../operators.py" line="68"/>
        <source>There is no operator number %1; check the number and try again.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>没有操作员编号 %1：请核对后重试。</translation>
    </message>
    <message>
        <location filename="../../operators.py" line="75"/>
        <location filename="../../operators.py" line="83"/>
        <source>%1 minutes</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there. %1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <location filename="../../operators.py" line="75"/>
        <source>%1 tries</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there. %1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 次</translation>
    </message>
    <message>
        <location filename="../../operators.py" line="75"/>
        <location filename="../../operators.py" line="83"/>
        <source>1 minute</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>1 分钟</translation>
    </message>
    <message>
        <location filename="../../operators.py" line="75"/>
        <source>1 try</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>1 次</translation>
    </message>
    <message>
        <location filename="../../operators.py" line="75"/>
        <source>The PIN is wrong: %1 left before number %2 is locked for %3.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>PIN 码错误：再错 %1，编号 %2 将被锁定 %3。</translation>
    </message>
    <message>
        <location filename="../../operators.py" line="83"/>
        <source>Number %1 is locked after too many wrong PINs: try again in %2 (at %3) or ask a supervisor to unlock it.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>编号 %1 因 PIN 码错误次数过多已被锁定：请 %2后（%3）再试，或请主管解锁。</translation>
    </message>
    <message>
        <location filename="../../operators.py" line="91"/>
        <source>Operator %1 has no PIN yet; a supervisor must set one first.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>操作员 %1 还没有 PIN 码：须先由主管设置。</translation>
    </message>
    <message>
        <location filename="../../operators.py" line="98"/>
        <source>%1 (%2) may not %3; ask a %4.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1（%2）无权%3：请找%4。</translation>
    </message>
    <message>
        <location filename="../../operators.py" line="98"/>
        <source>supervisor</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>主管</translation>
    </message>
    <message>
        <location filename="../../operators.py" line="116"/>
        <location filename="../../operators.py" line="151"/>
        <location filename="../../operators.py" line="164"/>
        <location filename="../../operators.py" line="174"/>
        <source>operators</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>操作员</translation>
    </message>
    <message>
        <location filename="../../operators.py" line="122"/>
        <source>The operators file %1 must hold a JSON object with an &quot;operators&quot; list.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>操作员文件 %1 必须是含有 &quot;operators&quot; 列表的 JSON 对象。</translation>
    </message>
    <message>
        <location filename="../../operators.py" line="136"/>
        <source>The operators file %1 has a bad entry for %2: %3.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>操作员文件 %1 中%2有误：%3。</translation>
    </message>
    <message>
        <location filename="../../operators.py" line="136"/>
        <source>entry %1</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there. %1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>第 %1 项</translation>
    </message>
    <message>
        <location filename="../../operators.py" line="136"/>
        <source>operator %1</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there. %1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>操作员 %1</translation>
    </message>
    <message>
        <location filename="../../operators.py" line="138"/>
        <source>The operators file %1 lists operator %2 twice.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>操作员文件 %1 中操作员 %2 出现了两次。</translation>
    </message>
    <message>
        <location filename="../../operators.py" line="196"/>
        <source>the PIN is written in clear text; remove it and set it with `python -m terminal operators set-pin --opter %1`</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>PIN 码以明文写入：请删除，并用 `python -m terminal operators set-pin --opter %1` 设置</translation>
    </message>
    <message>
        <location filename="../../operators.py" line="265"/>
        <source>Type the PIN, then press Enter.</source>
        <translation>请输入 PIN 码，然后按 Enter。</translation>
    </message>
    <message>
        <location filename="../../operators.py" line="296"/>
        <source>%1 is not an operator number: 1 to 30 letters or digits.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 不是有效的操作员编号：应为 1 到 30 位字母或数字。</translation>
    </message>
    <message>
        <location filename="../../operators.py" line="298"/>
        <source>An operator&apos;s name is 1 to %1 characters.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>操作员姓名为 1 到 %1 个字符。</translation>
    </message>
    <message>
        <location filename="../../pharmacy_sale.py" line="96"/>
        <source>%1: %2 is not in the service&apos;s catalog</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1：%2 不在医保服务的目录中</translation>
    </message>
    <message>
        <location filename="../../pharmacy_sale.py" line="96"/>
        <source>the line</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>该行</translation>
    </message>
    <message>
        <location filename="../../pharmacy_sale.py" line="102"/>
        <source>%1.pric is required: the catalog has no price for %2</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>缺少 %1.pric：目录中没有 %2 的价格</translation>
    </message>
    <message>
        <location filename="../../pins.py" line="61"/>
        <source>%1.n must be a power of 2</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1.n 必须是 2 的幂</translation>
    </message>
    <message>
        <location filename="../../pins.py" line="65"/>
        <source>%1: n, r and p ask for more than %2 MiB</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1：n、r、p 需要超过 %2 MiB 内存</translation>
    </message>
    <message>
        <location filename="../../pins.py" line="85"/>
        <source>A PIN is 4 to 12 digits; choose another.</source>
        <translation>PIN 码为 4 到 12 位数字：请另选一个。</translation>
    </message>
    <message>
        <location filename="../../policy.py" line="60"/>
        <source>Medical type %1 is not covered by the policy; choose pharmacy (41), outpatient (11) or inpatient (21).</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>医疗类别 %1 不在医保政策范围内：请选择药店购药（41）、门诊（11）或住院（21）。</translation>
    </message>
    <message>
        <location filename="../../policy.py" line="75"/>
        <source>The policy has no %1 benefit for insurance type %2 and person type %3; settle this sale as cash.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>医保政策中没有险种 %2、人员类别 %3 的 %1 待遇：本笔请按现金结算。</translation>
    </message>
    <message>
        <location filename="../../policy.py" line="99"/>
        <source>The benefit policy%1 is malformed: %2.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>医保待遇政策%1格式错误：%2。</translation>
    </message>
    <message>
        <location filename="../../policy.py" line="99"/>
        <source>missing %1</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there. %1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>缺少 %1</translation>
    </message>
    <message>
        <location filename="../../policy.py" line="142"/>
        <source>policy</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>医保政策</translation>
    </message>
    <message>
        <location filename="../../roles.py" line="43"/>
        <source>sell</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>销售</translation>
    </message>
    <message>
        <location filename="../../roles.py" line="44"/>
        <source>reprint a receipt</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>补打小票</translation>
    </message>
    <message>
        <location filename="../../roles.py" line="45"/>
        <source>manage the sales waiting to be forwarded</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>管理待上传的销售</translation>
    </message>
    <message>
        <location filename="../../roles.py" line="46"/>
        <source>look up past sales</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>查询历史销售</translation>
    </message>
    <message>
        <location filename="../../roles.py" line="47"/>
        <source>reverse a settlement</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>冲正结算</translation>
    </message>
    <message>
        <location filename="../../roles.py" line="48"/>
        <source>see a person&apos;s full name and ID number</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>查看参保人的完整姓名和证件号码</translation>
    </message>
    <message>
        <location filename="../../roles.py" line="49"/>
        <source>run the day-end reconciliation</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>进行日终对账</translation>
    </message>
    <message>
        <location filename="../../roles.py" line="50"/>
        <source>see the audit trail</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>查看审计日志</translation>
    </message>
    <message>
        <location filename="../../roles.py" line="51"/>
        <source>set up and test the devices</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>设置和测试设备</translation>
    </message>
    <message>
        <location filename="../../roles.py" line="52"/>
        <source>set operators&apos; PINs</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>设置操作员 PIN 码</translation>
    </message>
    <message>
        <location filename="../../roles.py" line="53"/>
        <source>work the outpatient desk</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>办理门诊挂号收费</translation>
    </message>
    <message>
        <location filename="../../roles.py" line="54"/>
        <source>work the admission and discharge desk</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>办理入出院</translation>
    </message>
    <message>
        <location filename="../../sale_rules.py" line="77"/>
        <source>The code %1 is not a traceability code: 20 digits beginning with 8.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 不是追溯码：追溯码为以 8 开头的 20 位数字。</translation>
    </message>
    <message>
        <location filename="../../sale_rules.py" line="80"/>
        <source>The traceability code %1 is already on line %2: each box is scanned once.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>追溯码 %1 已在第 %2 行：每盒只扫一次。</translation>
    </message>
    <message>
        <location filename="../../sale_rules.py" line="83"/>
        <source>The traceability code %1 was already scanned: each box is scanned once.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>追溯码 %1 已扫描过：每盒只扫一次。</translation>
    </message>
    <message>
        <location filename="../../sale_rules.py" line="94"/>
        <source>Several lines need codes: choose the line of the box %1 (arrow keys), then scan it again.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>多行需要追溯码：请用方向键选择药盒 %1 所属的行，然后重新扫描。</translation>
    </message>
    <message>
        <location filename="../../sale_rules.py" line="97"/>
        <source>Too many codes wait for their boxes&apos; barcodes: scan the boxes&apos; EAN-13 first.</source>
        <translation>等待药盒条码的追溯码太多：请先扫描药盒的 EAN-13 条码。</translation>
    </message>
    <message>
        <location filename="../../sale_rules.py" line="121"/>
        <source>A prescription number is 1 to %1 letters, digits or dashes: type it again.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>处方号为 1 至 %1 个字母、数字或连字符：请重新输入。</translation>
    </message>
    <message>
        <location filename="../../sale_rules.py" line="129"/>
        <source>The buyer&apos;s ID number is 18 characters (the last may be X): type it again.</source>
        <translation>购药人身份证号为 18 位（末位可为 X）：请重新输入。</translation>
    </message>
    <message>
        <location filename="../../sale_rules.py" line="132"/>
        <source>The buyer&apos;s ID number does not add up (its last character is wrong): type it again.</source>
        <translation>购药人身份证号校验不通过（末位不正确）：请重新输入。</translation>
    </message>
    <message>
        <location filename="../../sale_rules.py" line="141"/>
        <source>Line %1 (%2) needs %3 more traceability code(s): scan the code on each box.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>第 %1 行（%2）还需要 %3 个追溯码：请扫描每盒上的追溯码。</translation>
    </message>
    <message>
        <location filename="../../sale_rules.py" line="144"/>
        <source>%1 traceability code(s) wait for their box: scan the box&apos;s barcode (EAN-13).</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 个追溯码在等待对应药盒：请扫描药盒条码（EAN-13）。</translation>
    </message>
    <message>
        <location filename="../../sale_rules.py" line="148"/>
        <source>Line %1 (%2) is a prescription drug: type the prescription number, then Enter.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>第 %1 行（%2）是处方药：请输入处方号，然后按 Enter。</translation>
    </message>
    <message>
        <location filename="../../sale_rules.py" line="151"/>
        <source>This sale holds a restricted drug: type the buyer&apos;s ID number, then Enter.</source>
        <translation>本单含限购药品：请输入购药人身份证号，然后按 Enter。</translation>
    </message>
    <message>
        <location filename="../../sale_rules.py" line="158"/>
        <source>The traceability code %1 was already sold at this counter (sale %2): each box is sold once; take that box back.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>追溯码 %1 已在本收银台售出（交易 %2）：一盒只能售出一次；请收回该药盒。</translation>
    </message>
    <message>
        <location filename="../../setting_fields.py" line="76"/>
        <source>The configuration %1 in %2 must be a JSON object.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%2 中的配置%1 必须是 JSON 对象。</translation>
    </message>
    <message>
        <location filename="../../setting_fields.py" line="76"/>
        <source>file</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../setting_fields.py" line="76"/>
        <source>key %1</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there. %1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>项 %1</translation>
    </message>
    <message>
        <location filename="../../setting_fields.py" line="93"/>
        <source>The configuration key %1 is missing in %2: it must be set wherever %3.%4 is.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%2 中缺少配置项 %1：只要设置了 %3.%4，就必须设置它。</translation>
    </message>
    <message>
        <location filename="../../setting_fields.py" line="99"/>
        <source>The configuration key %1 in %2 is not known; check its spelling.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%2 中的配置项 %1 无法识别：请检查拼写。</translation>
    </message>
    <message>
        <location filename="../../setting_fields.py" line="107"/>
        <source>The configuration section %1 in %2 cannot work: %3.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%2 中的配置部分 %1 无法使用：%3。</translation>
    </message>
    <message>
        <location filename="../../setting_fields.py" line="119"/>
        <source>%1 from %2 to %3</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there. %1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%2 到 %3 之间的%1</translation>
    </message>
    <message>
        <location filename="../../setting_fields.py" line="119"/>
        <source>%1 of at least %2</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there. %1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>不小于 %2 的%1</translation>
    </message>
    <message>
        <location filename="../../setting_fields.py" line="119"/>
        <source>The configuration key %1 in %2 must be %3.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%2 中的配置项 %1 必须是%3。</translation>
    </message>
    <message>
        <location filename="../../setting_fields.py" line="119"/>
        <location filename="../../setting_fields.py" line="221"/>
        <location filename="../../setting_fields.py" line="223"/>
        <source>a list of names</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>名称列表</translation>
    </message>
    <message>
        <location filename="../../setting_fields.py" line="119"/>
        <source>a list of names (or null)</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>名称列表（或 null）</translation>
    </message>
    <message>
        <location filename="../../setting_fields.py" line="119"/>
        <location filename="../../setting_fields.py" line="221"/>
        <location filename="../../setting_fields.py" line="223"/>
        <source>a non-empty %1</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there. %1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>非空的%1</translation>
    </message>
    <message>
        <location filename="../../setting_fields.py" line="119"/>
        <source>a non-empty %1 (or null)</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there. %1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>非空的%1（或 null）</translation>
    </message>
    <message>
        <location filename="../../setting_fields.py" line="119"/>
        <source>a number %1</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there. %1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>数字（%1）</translation>
    </message>
    <message>
        <location filename="../../setting_fields.py" line="119"/>
        <source>a number%1 (or null)</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there. %1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>数字%1（或 null）</translation>
    </message>
    <message>
        <location filename="../../setting_fields.py" line="119"/>
        <location filename="../../setting_fields.py" line="221"/>
        <location filename="../../setting_fields.py" line="223"/>
        <source>a whole number</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>整数</translation>
    </message>
    <message>
        <location filename="../../setting_fields.py" line="119"/>
        <source>a whole number %1</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there. %1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>整数（%1）</translation>
    </message>
    <message>
        <location filename="../../setting_fields.py" line="119"/>
        <source>a whole number%1 (or null)</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there. %1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>整数%1（或 null）</translation>
    </message>
    <message>
        <location filename="../../setting_fields.py" line="119"/>
        <source>an amount in yuan such as &quot;500.00&quot;%1</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there. %1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>以元为单位的金额（如 &quot;500.00&quot;）%1</translation>
    </message>
    <message>
        <location filename="../../setting_fields.py" line="119"/>
        <source>non-empty text</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>非空文本</translation>
    </message>
    <message>
        <location filename="../../setting_fields.py" line="119"/>
        <source>one of %1</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there. %1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 之一</translation>
    </message>
    <message>
        <location filename="../../setting_fields.py" line="119"/>
        <source>true or false</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>true 或 false</translation>
    </message>
    <message>
        <location filename="../../setting_fields.py" line="213"/>
        <source> of at least %1</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there. %1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>，不小于 %1</translation>
    </message>
    <message>
        <location filename="../../settings.py" line="288"/>
        <source>The configuration needs terminal.state_dir, a folder for the terminal&apos;s state.</source>
        <translation>配置中需要 terminal.state_dir，即存放终端状态的文件夹。</translation>
    </message>
    <message>
        <location filename="../../traceability.py" line="52"/>
        <source>drug_trac_codg must be a list of traceability codes (or one comma-joined string).</source>
        <translation>drug_trac_codg 必须是追溯码列表（或以逗号连接的一个字符串）。</translation>
    </message>
    <message>
        <location filename="../../traceability.py" line="61"/>
        <source>The traceability code %1 of %2 is malformed: a code is 20 digits beginning with 8.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%2 的追溯码 %1 格式不正确：追溯码为以 8 开头的 20 位数字。</translation>
    </message>
    <message>
        <location filename="../../traceability.py" line="61"/>
        <location filename="../../traceability.py" line="64"/>
        <location filename="../../traceability.py" line="69"/>
        <location filename="../../traceability.py" line="72"/>
        <location filename="../../traceability.py" line="75"/>
        <location filename="../../traceability.py" line="78"/>
        <location filename="../../traceability.py" line="81"/>
        <location filename="../../traceability.py" line="84"/>
        <source>line %1 (%2)</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there. %1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>第 %1 行（%2）</translation>
    </message>
    <message>
        <location filename="../../traceability.py" line="64"/>
        <source>%1 takes no traceability codes, but %2 came with it, the first %3.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 不需要追溯码，但附带了 %2 个，第一个是 %3。</translation>
    </message>
    <message>
        <location filename="../../traceability.py" line="69"/>
        <source>The traceability code %1 is given twice on %2.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>追溯码 %1 在%2中出现了两次。</translation>
    </message>
    <message>
        <location filename="../../traceability.py" line="72"/>
        <source>%1 needs %2 traceability code(s), one per box; %3 came.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 需要 %2 个追溯码（每盒一个），只有 %3 个。</translation>
    </message>
    <message>
        <location filename="../../traceability.py" line="75"/>
        <source>%1 carries %2 traceability codes for %3 whole box(es): the codes from %4 on are extra.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 附带了 %2 个追溯码，但只有 %3 整盒：从 %4 起的追溯码是多余的。</translation>
    </message>
    <message>
        <location filename="../../traceability.py" line="78"/>
        <source>%1 is a prescription drug: its prescription number (rx_no) is missing.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 是处方药：缺少处方号（rx_no）。</translation>
    </message>
    <message>
        <location filename="../../traceability.py" line="81"/>
        <source>The prescription number of %1 is malformed: up to %2 letters, digits or dashes.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 的处方号格式不正确：最多 %2 个字母、数字或连字符。</translation>
    </message>
    <message>
        <location filename="../../traceability.py" line="84"/>
        <source>%1 is a restricted drug: at most %2 per person per sale, %3 asked.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 是限购药品：每人每次最多 %2，本次要求 %3。</translation>
    </message>
    <message>
        <location filename="../../traceability.py" line="94"/>
        <source>The traceability code %1 is given on line %2 and again on line %3.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>追溯码 %1 已在第 %2 行出现，第 %3 行又出现一次。</translation>
    </message>
    <message>
        <location filename="../../traceability.py" line="107"/>
        <source>line %1 (%2) is a restricted drug: at most %3 per person per sale, %4 in this sale.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>第 %1 行（%2）是限购药品：每人每次最多 %3，本单共 %4。</translation>
    </message>
    <message>
        <location filename="../../traceability.py" line="114"/>
        <source>The traceability code %1 of line %2 (%3) was already sold: each box&apos;s code sells once. Scan the code of the box in hand, or reverse the sale that sold it.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>第 %2 行（%3）的追溯码 %1 已经销售过：每盒药的追溯码只能销售一次。请扫描手中这盒药的追溯码，或先冲正售出它的那笔交易。</translation>
    </message>
    <message>
        <location filename="../../visit_messages.py" line="41"/>
        <source>fill it in.</source>
        <translation>请填写。</translation>
    </message>
    <message>
        <location filename="../../visit_messages.py" line="43"/>
        <source>at most %1 characters.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>最多 %1 个字符。</translation>
    </message>
    <message>
        <location filename="../../visit_messages.py" line="45"/>
        <source>no control characters.</source>
        <translation>不能含控制字符。</translation>
    </message>
    <message>
        <location filename="../../visit_messages.py" line="81"/>
        <source>%1 is not an ICD-10 code such as J18.900.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 不是 ICD-10 编码（如 J18.900）。</translation>
    </message>
    <message>
        <location filename="../../visit_messages.py" line="104"/>
        <source>cannot be below 0.</source>
        <translation>不能小于 0。</translation>
    </message>
    <message>
        <location filename="../../visit_messages.py" line="136"/>
        <source>%1 is not one of %2.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>%1 不在 %2 之中。</translation>
    </message>
    <message>
        <location filename="../../voucher.py" line="80"/>
        <location filename="../../voucher.py" line="84"/>
        <location filename="../../voucher.py" line="126"/>
        <location filename="../../voucher.py" line="129"/>
        <location filename="../../voucher.py" line="136"/>
        <location filename="../../voucher.py" line="143"/>
        <location filename="../../voucher.py" line="150"/>
        <source>This code is not a medical-insurance e-voucher; ask the patient to open the e-voucher in the app.</source>
        <translation>此码不是医保电子凭证：请患者在 App 中打开医保电子凭证。</translation>
    </message>
    <message>
        <location filename="../../voucher.py" line="166"/>
        <source>This e-voucher did not pass the security check; ask the patient to refresh the code in the app, or use the social security card.</source>
        <translation>医保电子凭证未通过安全校验：请患者在 App 中刷新二维码，或改用社保卡。</translation>
    </message>
    <message>
        <location filename="../../voucher.py" line="173"/>
        <source>This e-voucher has expired; ask the patient to refresh the code in the app.</source>
        <translation>医保电子凭证已过期：请患者在 App 中刷新二维码。</translation>
    </message>
    <message>
        <location filename="../../voucher.py" line="176"/>
        <source>This e-voucher is not valid yet; check the terminal&apos;s clock and scan again.</source>
        <translation>医保电子凭证尚未生效：请检查终端时钟后重新扫码。</translation>
    </message>
    <message>
        <location filename="../../voucher.py" line="189"/>
        <source>The e-voucher issuer key %1 is missing.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>缺少电子凭证签发密钥 %1。</translation>
    </message>
    <message>
        <location filename="../../voucher.py" line="196"/>
        <source>e-voucher issuer key</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>电子凭证签发密钥</translation>
    </message>
    <message>
        <location filename="../../voucher.py" line="200"/>
        <source>The e-voucher issuer key %1 cannot be read.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>无法读取电子凭证签发密钥 %1。</translation>
    </message>
    <message>
        <location filename="../../voucher.py" line="202"/>
        <source>The e-voucher issuer key %1 is not an Ed25519 key.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>电子凭证签发密钥 %1 不是 Ed25519 密钥。</translation>
    </message>
    <message>
        <location filename="../../voucher.py" line="212"/>
        <source>e-voucher issuer public key</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>电子凭证签发公钥</translation>
    </message>
    <message>
        <location filename="../../voucher.py" line="216"/>
        <source>The e-voucher issuer public key %1 cannot be read.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>无法读取电子凭证签发公钥 %1。</translation>
    </message>
    <message>
        <location filename="../../voucher.py" line="218"/>
        <source>The e-voucher issuer public key %1 is not an Ed25519 key.</source>
        <extracomment>%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.</extracomment>
        <translation>电子凭证签发公钥 %1 不是 Ed25519 密钥。</translation>
    </message>
    <message>
        <location filename="../../files.py" line="103"/>
        <source>Expecting value</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>此处应为一个值</translation>
    </message>
    <message>
        <location filename="../../files.py" line="103"/>
        <source>Expecting &apos;,&apos; delimiter</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>此处应为逗号（,）</translation>
    </message>
    <message>
        <location filename="../../files.py" line="103"/>
        <source>Expecting &apos;:&apos; delimiter</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>此处应为冒号（:）</translation>
    </message>
    <message>
        <location filename="../../files.py" line="103"/>
        <source>Expecting property name enclosed in double quotes</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>此处应为用双引号括起的属性名</translation>
    </message>
    <message>
        <location filename="../../files.py" line="103"/>
        <source>Unterminated string starting at</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>字符串没有结束，起始于</translation>
    </message>
    <message>
        <location filename="../../files.py" line="103"/>
        <source>Invalid control character at</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>无效的控制字符，位于</translation>
    </message>
    <message>
        <location filename="../../files.py" line="103"/>
        <source>Invalid \escape</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>无效的 \ 转义</translation>
    </message>
    <message>
        <location filename="../../files.py" line="103"/>
        <source>Invalid \uXXXX escape</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>无效的 \uXXXX 转义</translation>
    </message>
    <message>
        <location filename="../../files.py" line="103"/>
        <source>Extra data</source>
        <extracomment>A phrase the terminal puts inside other sentences; translate it to fit there.</extracomment>
        <translation>多余的数据</translation>
    </message>
    <message>
        <source>%1 takes no traceability codes, but %2 came with it.</source>
        <translation type="vanished">%1 不需要追溯码，但附带了 %2 个。</translation>
    </message>
    <message>
        <source>%1 carries %2 traceability codes for %3 whole box(es).</source>
        <translation type="vanished">%1 附带了 %2 个追溯码，但只有 %3 整盒。</translation>
    </message>
</context>
<context>
    <name>CounterApp</name>
    <message>
        <location filename="../counter_app.py" line="104"/>
        <source>The scan was cut off: scan again.</source>
        <translation>扫码不完整：请重新扫描。</translation>
    </message>
    <message>
        <location filename="../counter_app.py" line="197"/>
        <source>Signed in as %1: this role does not sell.</source>
        <translation>已以%1身份登录：此角色不能收款销售。</translation>
    </message>
    <message>
        <location filename="../counter_app.py" line="205"/>
        <source>Signed in. The service did not hear the sign-in: %1</source>
        <translation>已登录。医保服务未收到签到：%1</translation>
    </message>
    <message>
        <location filename="../counter_app.py" line="208"/>
        <source>Signed in: scan the e-voucher or read the card, then the drugs.</source>
        <translation>已登录：请扫描医保电子凭证或读卡，再扫描药品。</translation>
    </message>
    <message>
        <location filename="../counter_app.py" line="255"/>
        <source>The receipt paper is running low: have a new roll ready.</source>
        <translation>小票纸即将用完：请准备好新纸卷。</translation>
    </message>
    <message>
        <location filename="../counter_app.py" line="261"/>
        <source>Sign in first: the card or code was not used.</source>
        <translation>请先登录：本次读卡或扫码未被使用。</translation>
    </message>
    <message>
        <location filename="../counter_app.py" line="310"/>
        <source>Sign in first: the scan was not used.</source>
        <translation>请先登录：本次扫码未被使用。</translation>
    </message>
    <message>
        <source>Sent again now.</source>
        <translation type="vanished">已重新发送。</translation>
    </message>
    <message>
        <source>%1 rows exported (names and numbers masked) to %2</source>
        <translation type="vanished">已导出 %1 行到 %2（姓名和号码已脱敏）</translation>
    </message>
    <message>
        <source>There is no receipt to print again yet.</source>
        <translation type="vanished">还没有可以补打的小票。</translation>
    </message>
    <message>
        <source>The receipt could not be made: %1 The sale is kept; Ctrl+P prints it again.</source>
        <translation type="vanished">无法生成小票：%1 销售记录已保存；按 Ctrl+P 可补打。</translation>
    </message>
    <message>
        <source>The receipt did not print: %1 The sale is kept; Ctrl+P prints it again.</source>
        <translation type="vanished">小票未打印：%1 销售记录已保存；按 Ctrl+P 可补打。</translation>
    </message>
</context>
<context>
    <name>CustomerDisplay</name>
    <message>
        <location filename="../customer_display.py" line="24"/>
        <location filename="../customer_display.py" line="56"/>
        <source>Your purchase</source>
        <translation>您的购物清单</translation>
    </message>
    <message>
        <location filename="../customer_display.py" line="54"/>
        <source>Thank you. Keep your receipt.</source>
        <translation>谢谢惠顾，请保管好小票。</translation>
    </message>
    <message>
        <location filename="../customer_display.py" line="58"/>
        <source>Welcome</source>
        <translation>欢迎光临</translation>
    </message>
</context>
<context>
    <name>DayEndScreen</name>
    <message>
        <location filename="../dayend_screen.py" line="114"/>
        <source>Day-end: reconciliation, shift report, closing the day</source>
        <translation>日结：对账、班结报表、结束当日</translation>
    </message>
    <message>
        <location filename="../dayend_screen.py" line="115"/>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../dayend_screen.py" line="116"/>
        <source>F9 Reconcile with the service</source>
        <translation>F9 与医保服务对账</translation>
    </message>
    <message>
        <location filename="../dayend_screen.py" line="117"/>
        <source>F5 Print shift report</source>
        <translation>F5 打印班结报表</translation>
    </message>
    <message>
        <location filename="../dayend_screen.py" line="117"/>
        <source>F10 Close the day</source>
        <translation>F10 结束当日</translation>
    </message>
    <message>
        <location filename="../dayend_screen.py" line="118"/>
        <source>Esc Back</source>
        <translation>Esc 返回</translation>
    </message>
    <message>
        <location filename="../dayend_screen.py" line="134"/>
        <source>Press F9 to reconcile %1 with the service.</source>
        <translation>按 F9 与医保服务对账 %1。</translation>
    </message>
    <message>
        <location filename="../dayend_screen.py" line="141"/>
        <source>Asking the service…</source>
        <translation>正在询问医保服务…</translation>
    </message>
    <message>
        <location filename="../dayend_screen.py" line="152"/>
        <source>Not finished: %1 transaction(s) still unresolved: %2</source>
        <translation>尚未完成：仍有 %1 笔交易未确定：%2</translation>
    </message>
    <message>
        <location filename="../dayend_screen.py" line="155"/>
        <source>The totals agree with the service: %1 settlement(s) and reversal(s).</source>
        <translation>与医保服务对账一致：共 %1 笔结算和冲正。</translation>
    </message>
    <message>
        <location filename="../dayend_screen.py" line="158"/>
        <source>The totals do not agree with the service: see the transactions listed on the right.</source>
        <translation>与医保服务对账不一致：请查看右侧列出的交易。</translation>
    </message>
    <message>
        <location filename="../dayend_screen.py" line="168"/>
        <source>Refunds due: %1
Amounts owed: %2</source>
        <translation>应退款：%1
应补收：%2</translation>
    </message>
    <message>
        <location filename="../dayend_screen.py" line="184"/>
        <source>Shift report printed; its PDF is %1</source>
        <translation>班结报表已打印；PDF 为 %1</translation>
    </message>
    <message>
        <location filename="../dayend_screen.py" line="193"/>
        <source>Close %1 although %2 transaction(s) still wait for the service?</source>
        <translation>仍有 %2 笔交易等待医保服务，确定要日结 %1 吗？</translation>
    </message>
    <message>
        <location filename="../dayend_screen.py" line="205"/>
        <source>The day %1 is closed.</source>
        <translation>%1 已日结。</translation>
    </message>
</context>
<context>
    <name>DemoPanel</name>
    <message>
        <location filename="../demo_panel.py" line="159"/>
        <source>(family member)</source>
        <translation>（家庭成员）</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="161"/>
        <source>(suspended)</source>
        <translation>（已暂停）</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="90"/>
        <source>The patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="95"/>
        <source>Show e-voucher</source>
        <translation>出示电子凭证</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="96"/>
        <source>Insert card</source>
        <translation>插卡</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="97"/>
        <source>Remove card</source>
        <translation>取卡</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="104"/>
        <source>Scan a box</source>
        <translation>扫描药盒</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="113"/>
        <source>Code</source>
        <translation>追溯码</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="118"/>
        <source>The network</source>
        <translation>网络</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="120"/>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="120"/>
        <source>Slow (answers 2 s late)</source>
        <translation>缓慢（应答延迟 2 秒）</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="121"/>
        <source>Offline (cable pulled)</source>
        <translation>离线（网线已拔）</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="122"/>
        <source>The receipt printer</source>
        <translation>小票打印机</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="124"/>
        <source>Paper in</source>
        <translation>有纸</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="124"/>
        <source>Out of paper</source>
        <translation>缺纸</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="125"/>
        <source>Unplugged</source>
        <translation>已拔出</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="182"/>
        <source>This person has no card in the demo: show the e-voucher.</source>
        <translation>演示中此人没有社保卡：请出示医保电子凭证。</translation>
    </message>
</context>
<context>
    <name>DeskControl</name>
    <message>
        <location filename="../desk_control.py" line="83"/>
        <location filename="../desk_control.py" line="182"/>
        <source>Wait: the service is still answering the last step.</source>
        <translation>请稍候：医保服务还在处理上一步。</translation>
    </message>
    <message>
        <location filename="../desk_control.py" line="128"/>
        <source>%1 F12 asks the service again.</source>
        <translation>%1 按 F12 再次询问医保服务。</translation>
    </message>
    <message>
        <location filename="../desk_control.py" line="160"/>
        <source>A message of this visit has an unknown outcome: F12 asks the service.</source>
        <translation>本次就诊有一条报文结果未知：按 F12 询问医保服务。</translation>
    </message>
    <message>
        <location filename="../desk_control.py" line="162"/>
        <source>Patient identified; the open visit %1 is shown.</source>
        <translation>已识别患者，显示其未结束的就诊 %1。</translation>
    </message>
    <message>
        <location filename="../desk_control.py" line="165"/>
        <source>Patient identified: fill in the form, then F4.</source>
        <translation>已识别患者：填写表单后按 F4。</translation>
    </message>
    <message>
        <location filename="../desk_control.py" line="167"/>
        <source>Identifying the patient…</source>
        <translation>正在识别患者…</translation>
    </message>
    <message>
        <location filename="../desk_control.py" line="186"/>
        <source>Next patient: read the card or scan the e-voucher.</source>
        <translation>下一位患者：请读卡或扫描医保电子凭证。</translation>
    </message>
    <message>
        <location filename="../desk_control.py" line="194"/>
        <source>Nothing of this visit is in doubt.</source>
        <translation>本次就诊没有结果未知的报文。</translation>
    </message>
    <message>
        <location filename="../desk_control.py" line="199"/>
        <location filename="../desk_control.py" line="222"/>
        <source>The service answered: the visit is up to date.</source>
        <translation>医保服务已应答：就诊信息已更新。</translation>
    </message>
    <message>
        <location filename="../desk_control.py" line="201"/>
        <source>Asking the service again…</source>
        <translation>正在再次询问医保服务…</translation>
    </message>
    <message>
        <location filename="../desk_control.py" line="232"/>
        <source>Identify the patient first: read the card (F2) or scan the e-voucher.</source>
        <translation>请先识别患者：读卡（F2）或扫描医保电子凭证。</translation>
    </message>
    <message>
        <location filename="../desk_control.py" line="235"/>
        <source>This patient already has an open visit (%1).</source>
        <translation>该患者已有未结束的就诊（%1）。</translation>
    </message>
    <message>
        <location filename="../desk_control.py" line="241"/>
        <source>Done: visit %1. Enter or import the fees, then F7 uploads them.</source>
        <translation>已办理：就诊 %1。请录入或导入费用，再按 F7 上传。</translation>
    </message>
    <message>
        <location filename="../desk_control.py" line="245"/>
        <source>Registering…</source>
        <translation>正在挂号…</translation>
    </message>
    <message>
        <location filename="../desk_control.py" line="247"/>
        <source>Admitting…</source>
        <translation>正在办理入院…</translation>
    </message>
    <message>
        <location filename="../desk_control.py" line="256"/>
        <source>The quantity must be a number, such as 2 or 0.5.</source>
        <translation>数量必须是数字，如 2 或 0.5。</translation>
    </message>
    <message numerus="yes">
        <location filename="../desk_control.py" line="266"/>
        <source>Fee added; F7 uploads the %n fee(s) waiting.</source>
        <translation>
            <numerusform>已添加费用：按 F7 上传待传的 %n 条费用。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../desk_control.py" line="270"/>
        <source>entry</source>
        <translation>录入</translation>
    </message>
    <message>
        <location filename="../desk_control.py" line="272"/>
        <source>Looking up the price…</source>
        <translation>正在查询价格…</translation>
    </message>
    <message numerus="yes">
        <location filename="../desk_control.py" line="280"/>
        <source>%n fee(s) read from the file; F7 uploads them.</source>
        <translation>
            <numerusform>已从文件读取 %n 条费用：按 F7 上传。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../desk_control.py" line="288"/>
        <source>Reading the fee list…</source>
        <translation>正在读取费用清单…</translation>
    </message>
    <message>
        <location filename="../desk_control.py" line="295"/>
        <source>No fees are waiting: enter a fee (F5) or import a fee list (F6).</source>
        <translation>没有待上传的费用：请录入费用（F5）或导入费用清单（F6）。</translation>
    </message>
    <message numerus="yes">
        <location filename="../desk_control.py" line="308"/>
        <source>%n fee(s) on the visit, all uploaded.</source>
        <translation>
            <numerusform>本次就诊共 %n 条费用，已全部上传。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../desk_control.py" line="310"/>
        <source>%n were uploaded before and were skipped.</source>
        <translation>
            <numerusform>其中 %n 条之前已上传，已跳过。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../desk_control.py" line="313"/>
        <source>Uploading the fees…</source>
        <translation>正在上传费用…</translation>
    </message>
    <message>
        <location filename="../desk_control.py" line="322"/>
        <source>Pre-settled: the split is shown. Type the cash received, then F10.</source>
        <translation>已预结算，分担金额如右。输入实收现金后按 F10。</translation>
    </message>
    <message>
        <location filename="../desk_control.py" line="325"/>
        <source>Pre-settling…</source>
        <translation>正在预结算…</translation>
    </message>
    <message>
        <location filename="../desk_control.py" line="332"/>
        <source>Pre-settle first (F9): the split must be seen before settling.</source>
        <translation>请先预结算（F9）：结算前须先看到分担金额。</translation>
    </message>
    <message>
        <location filename="../desk_control.py" line="337"/>
        <source>Settled: the receipt is printing.</source>
        <translation>结算完成：正在打印小票。</translation>
    </message>
    <message>
        <location filename="../desk_control.py" line="341"/>
        <source>Settling…</source>
        <translation>正在结算…</translation>
    </message>
</context>
<context>
    <name>DeskScreen</name>
    <message>
        <location filename="../desk_screen.py" line="77"/>
        <source>A fee: code and quantity (F5) · a fee list&apos;s path (F6) · the cash received (F10)</source>
        <translation>费用：编码和数量（F5）· 费用清单文件路径（F6）· 实收现金（F10）</translation>
    </message>
    <message>
        <location filename="../desk_screen.py" line="83"/>
        <source>Uploading fees: %v of %m</source>
        <translation>正在上传费用：%v / %m</translation>
    </message>
    <message>
        <location filename="../desk_screen.py" line="126"/>
        <source>Help</source>
        <translation>帮助</translation>
    </message>
    <message>
        <location filename="../desk_screen.py" line="127"/>
        <source>Read card</source>
        <translation>读卡</translation>
    </message>
    <message>
        <location filename="../desk_screen.py" line="128"/>
        <source>Register</source>
        <translation>挂号</translation>
    </message>
    <message>
        <location filename="../desk_screen.py" line="128"/>
        <source>Admit</source>
        <translation>入院</translation>
    </message>
    <message>
        <location filename="../desk_screen.py" line="129"/>
        <source>Add fee</source>
        <translation>录入费用</translation>
    </message>
    <message>
        <location filename="../desk_screen.py" line="130"/>
        <source>Import fee list</source>
        <translation>导入费用清单</translation>
    </message>
    <message>
        <location filename="../desk_screen.py" line="131"/>
        <source>Upload fees</source>
        <translation>上传费用</translation>
    </message>
    <message>
        <location filename="../desk_screen.py" line="132"/>
        <source>Account on/off</source>
        <translation>个人账户开关</translation>
    </message>
    <message>
        <location filename="../desk_screen.py" line="133"/>
        <source>Pre-settle</source>
        <translation>预结算</translation>
    </message>
    <message>
        <location filename="../desk_screen.py" line="134"/>
        <source>Settle</source>
        <translation>结算</translation>
    </message>
    <message>
        <location filename="../desk_screen.py" line="135"/>
        <source>Ask again</source>
        <translation>再次询问</translation>
    </message>
    <message>
        <location filename="../desk_screen.py" line="136"/>
        <source>Next patient</source>
        <translation>下一位</translation>
    </message>
    <message>
        <location filename="../desk_screen.py" line="137"/>
        <source>Cancel fees</source>
        <translation>撤销费用</translation>
    </message>
    <message>
        <location filename="../desk_screen.py" line="138"/>
        <source>Cancel settlement</source>
        <translation>撤销结算</translation>
    </message>
    <message>
        <location filename="../desk_screen.py" line="139"/>
        <source>Cancel registration</source>
        <translation>撤销挂号</translation>
    </message>
    <message>
        <location filename="../desk_screen.py" line="139"/>
        <source>Cancel admission</source>
        <translation>撤销入院</translation>
    </message>
    <message>
        <location filename="../desk_screen.py" line="193"/>
        <source>That is not an e-voucher: at this desk, scan the patient&apos;s e-voucher.</source>
        <translation>这不是医保电子凭证：在本窗口请扫描患者的医保电子凭证。</translation>
    </message>
    <message>
        <location filename="../desk_screen.py" line="207"/>
        <source>Read the card or scan the e-voucher; F4 opens the visit; F5/F6 enter or import fees and F7 uploads them; F9 pre-settles, F10 settles.</source>
        <translation>读卡或扫描医保电子凭证；F4 挂号或入院；F5/F6 录入或导入费用，F7 上传；F9 预结算，F10 结算。</translation>
    </message>
    <message>
        <location filename="../desk_screen.py" line="216"/>
        <source>Type the fee&apos;s code and quantity (such as 001102000010000 2), then F5.</source>
        <translation>输入费用编码和数量（如 001102000010000 2），再按 F5。</translation>
    </message>
    <message>
        <location filename="../desk_screen.py" line="225"/>
        <source>Fee list</source>
        <translation>费用清单</translation>
    </message>
    <message>
        <location filename="../desk_screen.py" line="226"/>
        <source>Fee lists (*.csv *.json)</source>
        <translation>费用清单 (*.csv *.json)</translation>
    </message>
    <message>
        <location filename="../desk_screen.py" line="237"/>
        <source>Type the cash received as an amount, such as 100 or 52.50, then F10.</source>
        <translation>请输入实收现金金额，如 100 或 52.50，再按 F10。</translation>
    </message>
    <message>
        <location filename="../desk_screen.py" line="262"/>
        <source>This visit has no settlement to cancel.</source>
        <translation>此次就诊没有可撤销的结算。</translation>
    </message>
    <message>
        <location filename="../desk_screen.py" line="275"/>
        <source>Cancelling fees…</source>
        <translation>正在撤销费用…</translation>
    </message>
    <message>
        <location filename="../desk_screen.py" line="275"/>
        <source>Fees cancelled.</source>
        <translation>费用已撤销。</translation>
    </message>
    <message>
        <location filename="../desk_screen.py" line="285"/>
        <source>Cancel the settlement: the insurance payment is reversed and the cash goes back to the patient. A supervisor approves it.</source>
        <translation>撤销结算：医保支付将被冲正，现金退还给患者。需主管授权。</translation>
    </message>
    <message>
        <location filename="../desk_screen.py" line="298"/>
        <source>Settlement cancelled, approved by %1: its fees are unsettled again.</source>
        <translation>结算已撤销，授权主管 %1：其费用恢复为未结算。</translation>
    </message>
    <message>
        <location filename="../desk_screen.py" line="301"/>
        <source>The service refused the cancel: %1</source>
        <translation>医保服务拒绝了撤销：%1</translation>
    </message>
    <message>
        <location filename="../desk_screen.py" line="304"/>
        <source>The cancel was sent; its answer has not come: it is resolved automatically.</source>
        <translation>撤销已发送，尚未收到应答：将自动确认。</translation>
    </message>
    <message>
        <source>Cancelling the settlement…</source>
        <translation type="vanished">正在撤销结算…</translation>
    </message>
    <message>
        <source>Settlement cancelled: its fees are unsettled again.</source>
        <translation type="vanished">结算已撤销：其费用恢复为未结算。</translation>
    </message>
    <message>
        <location filename="../desk_screen.py" line="277"/>
        <source>Cancelling…</source>
        <translation>正在撤销…</translation>
    </message>
    <message>
        <location filename="../desk_screen.py" line="277"/>
        <source>The visit is cancelled.</source>
        <translation>就诊已撤销。</translation>
    </message>
    <message>
        <location filename="../desk_screen.py" line="279"/>
        <source>Cancelling the discharge…</source>
        <translation>正在撤销出院…</translation>
    </message>
    <message>
        <location filename="../desk_screen.py" line="280"/>
        <source>Discharge cancelled: the patient is in hospital again.</source>
        <translation>出院已撤销：患者恢复在院。</translation>
    </message>
    <message>
        <location filename="../desk_screen.py" line="284"/>
        <source>Press Ctrl+F5 again to cancel the unsettled fees (all, or the batch or serial typed).</source>
        <translation>再按一次 Ctrl+F5 撤销未结算费用（全部，或输入的批次号/流水号）。</translation>
    </message>
    <message>
        <source>Press Ctrl+F10 again to cancel the settlement: the insurance payment is reversed and the cash goes back to the patient.</source>
        <translation type="vanished">再按一次 Ctrl+F10 撤销结算：医保支付将冲回，现金退还患者。</translation>
    </message>
    <message>
        <location filename="../desk_screen.py" line="287"/>
        <source>Press Ctrl+F4 again to cancel the whole visit.</source>
        <translation>再按一次 Ctrl+F4 撤销整个就诊。</translation>
    </message>
    <message>
        <location filename="../desk_screen.py" line="288"/>
        <source>Press Ctrl+F3 again to cancel the discharge.</source>
        <translation>再按一次 Ctrl+F3 撤销出院。</translation>
    </message>
</context>
<context>
    <name>DeskSplit</name>
    <message>
        <location filename="../desk_view.py" line="118"/>
        <source>Medical fees</source>
        <translation>医疗费总额</translation>
    </message>
    <message>
        <location filename="../desk_view.py" line="118"/>
        <source>Pooled fund</source>
        <translation>统筹基金支付</translation>
    </message>
    <message>
        <location filename="../desk_view.py" line="119"/>
        <source>Personal account</source>
        <translation>个人账户支付</translation>
    </message>
    <message>
        <location filename="../desk_view.py" line="119"/>
        <source>Family mutual aid</source>
        <translation>家庭共济支付</translation>
    </message>
    <message>
        <location filename="../desk_view.py" line="120"/>
        <source>Patient&apos;s part</source>
        <translation>个人现金部分</translation>
    </message>
    <message>
        <location filename="../desk_view.py" line="120"/>
        <source>Deposit paid</source>
        <translation>已交押金</translation>
    </message>
    <message>
        <location filename="../desk_view.py" line="165"/>
        <source>Refund to the patient</source>
        <translation>应退患者</translation>
    </message>
    <message>
        <location filename="../desk_view.py" line="165"/>
        <source>Cash due</source>
        <translation>应收现金</translation>
    </message>
    <message>
        <location filename="../desk_view.py" line="170"/>
        <source>Fees (not pre-settled)</source>
        <translation>费用（未预结算）</translation>
    </message>
    <message>
        <location filename="../desk_view.py" line="175"/>
        <source>Received %1   Change %2</source>
        <translation>实收 %1   找零 %2</translation>
    </message>
    <message>
        <location filename="../desk_view.py" line="179"/>
        <source>Personal account used (F8 to turn off)</source>
        <translation>使用个人账户（F8 关闭）</translation>
    </message>
    <message>
        <location filename="../desk_view.py" line="180"/>
        <source>Personal account NOT used (F8 to turn on)</source>
        <translation>不使用个人账户（F8 开启）</translation>
    </message>
</context>
<context>
    <name>Desks</name>
    <message>
        <location filename="../desks.py" line="50"/>
        <source>Outpatient desk</source>
        <translation>门诊挂号收费</translation>
    </message>
    <message>
        <location filename="../desks.py" line="52"/>
        <source>Admission and discharge desk</source>
        <translation>住院入出院</translation>
    </message>
</context>
<context>
    <name>DeviceSetupForm</name>
    <message>
        <location filename="../devices_setup_form.py" line="29"/>
        <source>Read codes with the camera</source>
        <translation>用摄像头识读码</translation>
    </message>
    <message>
        <location filename="../devices_setup_form.py" line="31"/>
        <source>Card reader port</source>
        <translation>读卡器端口</translation>
    </message>
    <message>
        <location filename="../devices_setup_form.py" line="32"/>
        <source>Serial scanner port</source>
        <translation>串口扫码枪端口</translation>
    </message>
    <message>
        <location filename="../devices_setup_form.py" line="36"/>
        <source>Camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <location filename="../devices_setup_form.py" line="39"/>
        <source>List ports and cameras</source>
        <translation>列出端口和摄像头</translation>
    </message>
    <message>
        <location filename="../devices_setup_form.py" line="40"/>
        <source>Save to this terminal&apos;s configuration</source>
        <translation>保存到本终端的配置</translation>
    </message>
    <message>
        <location filename="../devices_setup_form.py" line="86"/>
        <source>No serial port was found; type the port (a /dev path or a pyserial URL).</source>
        <translation>未找到串口；请输入端口（/dev 路径或 pyserial 地址）。</translation>
    </message>
</context>
<context>
    <name>Devices</name>
    <message>
        <location filename="../devices_tables.py" line="26"/>
        <source>Card reader</source>
        <translation>读卡器</translation>
    </message>
    <message>
        <location filename="../devices_tables.py" line="27"/>
        <source>Serial scanner</source>
        <translation>串口扫码枪</translation>
    </message>
    <message>
        <location filename="../devices_tables.py" line="28"/>
        <source>Camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <location filename="../devices_tables.py" line="29"/>
        <source>Printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <location filename="../devices_tables.py" line="33"/>
        <source>connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <location filename="../devices_tables.py" line="34"/>
        <source>connecting</source>
        <translation>连接中</translation>
    </message>
    <message>
        <location filename="../devices_tables.py" line="35"/>
        <source>disconnected</source>
        <translation>已断开</translation>
    </message>
    <message>
        <location filename="../devices_tables.py" line="36"/>
        <source>failed</source>
        <translation>故障</translation>
    </message>
    <message>
        <location filename="../devices_tables.py" line="37"/>
        <source>closed</source>
        <translation>已关闭</translation>
    </message>
</context>
<context>
    <name>DevicesScreen</name>
    <message>
        <location filename="../devices_screen.py" line="76"/>
        <source>No card read yet: insert one, or press F2.</source>
        <translation>尚未读卡：请插卡，或按 F2。</translation>
    </message>
    <message>
        <location filename="../devices_screen.py" line="81"/>
        <source>Devices: see and test this counter&apos;s devices</source>
        <translation>设备：查看并测试本柜台的设备</translation>
    </message>
    <message>
        <location filename="../devices_screen.py" line="84"/>
        <source>Test read</source>
        <translation>测试读卡</translation>
    </message>
    <message>
        <location filename="../devices_screen.py" line="85"/>
        <source>Beep</source>
        <translation>蜂鸣</translation>
    </message>
    <message>
        <location filename="../devices_screen.py" line="86"/>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../devices_screen.py" line="99"/>
        <source>Scan codes with any scanner: each is listed with where the counter would send it. Nothing is sold here.</source>
        <translation>用任一扫码设备扫码：每个码都会列出柜台会把它用于何处。这里不会销售任何商品。</translation>
    </message>
    <message>
        <location filename="../devices_screen.py" line="111"/>
        <source>Camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <location filename="../devices_screen.py" line="112"/>
        <source>Ports and camera</source>
        <translation>端口和摄像头</translation>
    </message>
    <message>
        <location filename="../devices_screen.py" line="113"/>
        <source>Card reader</source>
        <translation>读卡器</translation>
    </message>
    <message>
        <location filename="../devices_screen.py" line="114"/>
        <source>Scanner test</source>
        <translation>扫码测试</translation>
    </message>
    <message>
        <location filename="../devices_screen.py" line="115"/>
        <source>Connections</source>
        <translation>连接记录</translation>
    </message>
    <message>
        <location filename="../devices_screen.py" line="175"/>
        <source>A card was inserted and read: card no. %1, serial %2</source>
        <translation>已插卡并读取：卡号 %1，序列号 %2</translation>
    </message>
    <message numerus="yes">
        <location filename="../devices_screen.py" line="196"/>
        <source> · disconnected %n time(s)</source>
        <translation>
            <numerusform> · 断开 %n 次</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../devices_screen.py" line="199"/>
        <source>No device is configured at this counter.</source>
        <translation>本柜台未配置任何设备。</translation>
    </message>
    <message>
        <location filename="../devices_screen.py" line="209"/>
        <source>No card reader is configured at this counter.</source>
        <translation>本柜台未配置读卡器。</translation>
    </message>
    <message>
        <location filename="../devices_screen.py" line="212"/>
        <source>a card is in the reader</source>
        <translation>读卡器中有卡</translation>
    </message>
    <message>
        <location filename="../devices_screen.py" line="212"/>
        <source>no card in the reader</source>
        <translation>读卡器中无卡</translation>
    </message>
    <message>
        <location filename="../devices_screen.py" line="213"/>
        <source>card presence not known yet</source>
        <translation>尚不知道是否有卡</translation>
    </message>
    <message>
        <location filename="../devices_screen.py" line="216"/>
        <source>Card reader: %1 · %2</source>
        <translation>读卡器：%1 · %2</translation>
    </message>
    <message>
        <location filename="../devices_screen.py" line="226"/>
        <source>Reading the card…</source>
        <translation>正在读卡…</translation>
    </message>
    <message>
        <location filename="../devices_screen.py" line="238"/>
        <source> (expired)</source>
        <translation>（已过期）</translation>
    </message>
    <message>
        <location filename="../devices_screen.py" line="239"/>
        <source>Test read: %1, card no. %2, valid until %3%4</source>
        <translation>测试读卡：%1，卡号 %2，有效期至 %3%4</translation>
    </message>
    <message>
        <location filename="../devices_screen.py" line="261"/>
        <source>The reader beeped at %1.</source>
        <translation>读卡器已于 %1 蜂鸣。</translation>
    </message>
    <message>
        <location filename="../devices_screen.py" line="289"/>
        <source>Saved to %1. The devices use it after the counter is restarted.</source>
        <translation>已保存到 %1。重新启动终端后设备才会使用新设置。</translation>
    </message>
</context>
<context>
    <name>FeesModel</name>
    <message>
        <location filename="../desk_view.py" line="88"/>
        <source>Serial</source>
        <translation>流水号</translation>
    </message>
    <message>
        <location filename="../desk_view.py" line="88"/>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <location filename="../desk_view.py" line="88"/>
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../desk_view.py" line="88"/>
        <source>Price</source>
        <translation>单价</translation>
    </message>
    <message>
        <location filename="../desk_view.py" line="88"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../desk_view.py" line="89"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../desk_view.py" line="96"/>
        <source>settled</source>
        <translation>已结算</translation>
    </message>
    <message>
        <location filename="../desk_view.py" line="96"/>
        <source>uploaded</source>
        <translation>已上传</translation>
    </message>
    <message>
        <location filename="../desk_view.py" line="103"/>
        <source>waiting to upload</source>
        <translation>待上传</translation>
    </message>
</context>
<context>
    <name>GroupsModel</name>
    <message>
        <location filename="../dayend_screen.py" line="43"/>
        <source>Insurance type</source>
        <translation>险种</translation>
    </message>
    <message>
        <location filename="../dayend_screen.py" line="43"/>
        <source>Clearing type</source>
        <translation>清算类别</translation>
    </message>
    <message>
        <location filename="../dayend_screen.py" line="43"/>
        <source>Clearing region</source>
        <translation>清算地区</translation>
    </message>
    <message>
        <location filename="../dayend_screen.py" line="43"/>
        <source>Fees</source>
        <translation>医疗费</translation>
    </message>
    <message>
        <location filename="../dayend_screen.py" line="44"/>
        <source>Pooled fund</source>
        <translation>统筹支付</translation>
    </message>
    <message>
        <location filename="../dayend_screen.py" line="44"/>
        <source>Personal account</source>
        <translation>个人账户</translation>
    </message>
    <message>
        <location filename="../dayend_screen.py" line="44"/>
        <source>Count</source>
        <translation>笔数</translation>
    </message>
    <message>
        <location filename="../dayend_screen.py" line="44"/>
        <source>Service says</source>
        <translation>医保服务结果</translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <location filename="../history_screen.py" line="63"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../history_screen.py" line="63"/>
        <source>Receipt</source>
        <translation>小票号</translation>
    </message>
    <message>
        <location filename="../history_screen.py" line="63"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../history_screen.py" line="63"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../history_screen.py" line="63"/>
        <source>Person</source>
        <translation>人员</translation>
    </message>
    <message>
        <location filename="../history_screen.py" line="64"/>
        <source>Fees</source>
        <translation>医疗费</translation>
    </message>
    <message>
        <location filename="../history_screen.py" line="64"/>
        <source>Cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <location filename="../history_screen.py" line="64"/>
        <source>Operator</source>
        <translation>操作员</translation>
    </message>
</context>
<context>
    <name>HistoryScreen</name>
    <message>
        <location filename="../history_screen.py" line="152"/>
        <source>History: past transactions</source>
        <translation>交易查询：历史交易</translation>
    </message>
    <message>
        <location filename="../history_screen.py" line="153"/>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <location filename="../history_screen.py" line="153"/>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <location filename="../history_screen.py" line="153"/>
        <source>Person (number, ID or name)</source>
        <translation>人员（编号、证件号或姓名）</translation>
    </message>
    <message>
        <location filename="../history_screen.py" line="154"/>
        <source>Receipt or settlement no.</source>
        <translation>小票号或结算号</translation>
    </message>
    <message>
        <location filename="../history_screen.py" line="154"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../history_screen.py" line="157"/>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../history_screen.py" line="157"/>
        <source>settled</source>
        <translation>已结算</translation>
    </message>
    <message>
        <location filename="../history_screen.py" line="157"/>
        <source>reversed</source>
        <translation>已冲正</translation>
    </message>
    <message>
        <location filename="../history_screen.py" line="158"/>
        <source>waiting for the service</source>
        <translation>等待医保服务</translation>
    </message>
    <message>
        <location filename="../history_screen.py" line="158"/>
        <source>declined</source>
        <translation>被拒</translation>
    </message>
    <message>
        <location filename="../history_screen.py" line="159"/>
        <source>needs attention</source>
        <translation>需处理</translation>
    </message>
    <message>
        <location filename="../history_screen.py" line="159"/>
        <source>not sent</source>
        <translation>未发送</translation>
    </message>
    <message>
        <location filename="../history_screen.py" line="161"/>
        <source>F3 Search</source>
        <translation>F3 查询</translation>
    </message>
    <message>
        <location filename="../history_screen.py" line="162"/>
        <source>F5 Reprint receipt</source>
        <translation>F5 补打小票</translation>
    </message>
    <message>
        <location filename="../history_screen.py" line="163"/>
        <source>F8 Reverse (supervisor)</source>
        <translation>F8 冲正（需主管）</translation>
    </message>
    <message>
        <location filename="../history_screen.py" line="164"/>
        <source>Esc Back</source>
        <translation>Esc 返回</translation>
    </message>
    <message>
        <location filename="../history_screen.py" line="191"/>
        <source>%1 found.</source>
        <translation>找到 %1 笔。</translation>
    </message>
    <message>
        <location filename="../history_screen.py" line="209"/>
        <source>Person: %1</source>
        <translation>人员：%1</translation>
    </message>
    <message>
        <location filename="../history_screen.py" line="210"/>
        <source>Operator: %1</source>
        <translation>操作员：%1</translation>
    </message>
    <message>
        <location filename="../history_screen.py" line="212"/>
        <source>Approved by supervisor %1</source>
        <translation>主管 %1 授权</translation>
    </message>
    <message>
        <location filename="../history_screen.py" line="217"/>
        <source>Split: estimate / actual</source>
        <translation>分账：预估 / 实际</translation>
    </message>
    <message>
        <location filename="../history_screen.py" line="222"/>
        <source>Last error: %1</source>
        <translation>最近错误：%1</translation>
    </message>
    <message>
        <location filename="../history_screen.py" line="226"/>
        <source>Steps:</source>
        <translation>步骤：</translation>
    </message>
    <message>
        <location filename="../history_screen.py" line="234"/>
        <source>Choose a sale with a receipt first.</source>
        <translation>请先选择一笔有小票的交易。</translation>
    </message>
    <message>
        <location filename="../history_screen.py" line="237"/>
        <source>Receipt %1 printed again.</source>
        <translation>已补打小票 %1。</translation>
    </message>
    <message>
        <location filename="../history_screen.py" line="242"/>
        <source>Choose a settlement that stands, or a sale whose outcome is unknown.</source>
        <translation>请选择一笔有效的结算，或一笔结果未知的交易。</translation>
    </message>
    <message>
        <location filename="../history_screen.py" line="244"/>
        <source>Reverse %1 (%2): the settlement is taken back at the service.</source>
        <translation>冲正 %1（%2）：在医保服务撤销该结算。</translation>
    </message>
    <message>
        <location filename="../history_screen.py" line="246"/>
        <source>Undo %1 (%2) by its message number (2601): its outcome is unknown.</source>
        <translation>按报文号撤销 %1（%2）（2601）：其结果未知。</translation>
    </message>
    <message>
        <location filename="../history_screen.py" line="259"/>
        <source>Reversed: %1, approved by %2.</source>
        <translation>已冲正：%1，授权主管 %2。</translation>
    </message>
    <message>
        <location filename="../history_screen.py" line="261"/>
        <source>The service refused the reversal: %1</source>
        <translation>医保服务拒绝了冲正：%1</translation>
    </message>
    <message>
        <location filename="../history_screen.py" line="263"/>
        <source>The reversal was sent; its answer has not come: it is resolved automatically (%1).</source>
        <translation>冲正已发送，尚未收到应答：将自动确认（%1）。</translation>
    </message>
</context>
<context>
    <name>HistoryTable</name>
    <message>
        <location filename="../devices_tables.py" line="79"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../devices_tables.py" line="79"/>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../devices_tables.py" line="79"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../devices_tables.py" line="79"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../devices_tables.py" line="79"/>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
</context>
<context>
    <name>InpatientScreen</name>
    <message>
        <location filename="../inpatient_screen.py" line="20"/>
        <source>Inpatient desk: admission and discharge</source>
        <translation>住院处：入院与出院结算</translation>
    </message>
    <message>
        <location filename="../inpatient_screen.py" line="24"/>
        <source>code and name, such as A03 内科</source>
        <translation>编码和名称，如 A03 内科</translation>
    </message>
    <message>
        <location filename="../inpatient_screen.py" line="28"/>
        <source>ICD-10 code and name, such as J18.900 肺炎</source>
        <translation>ICD-10 编码和名称，如 J18.900 肺炎</translation>
    </message>
    <message>
        <location filename="../inpatient_screen.py" line="30"/>
        <source>the hospital&apos;s inpatient number</source>
        <translation>医院住院号</translation>
    </message>
    <message>
        <location filename="../inpatient_screen.py" line="32"/>
        <source>cash taken as deposit, such as 2000</source>
        <translation>收取的押金，如 2000</translation>
    </message>
    <message>
        <location filename="../inpatient_screen.py" line="33"/>
        <source>Department</source>
        <translation>科室</translation>
    </message>
    <message>
        <location filename="../inpatient_screen.py" line="33"/>
        <source>Diagnosis</source>
        <translation>诊断</translation>
    </message>
    <message>
        <location filename="../inpatient_screen.py" line="34"/>
        <source>Ward</source>
        <translation>病区</translation>
    </message>
    <message>
        <location filename="../inpatient_screen.py" line="34"/>
        <source>Bed</source>
        <translation>床位</translation>
    </message>
    <message>
        <location filename="../inpatient_screen.py" line="35"/>
        <source>Inpatient no.</source>
        <translation>住院号</translation>
    </message>
    <message>
        <location filename="../inpatient_screen.py" line="35"/>
        <source>Deposit</source>
        <translation>押金</translation>
    </message>
    <message>
        <location filename="../inpatient_screen.py" line="48"/>
        <source>Discharge</source>
        <translation>出院</translation>
    </message>
    <message>
        <location filename="../inpatient_screen.py" line="48"/>
        <source>Discharging…</source>
        <translation>正在办理出院…</translation>
    </message>
    <message>
        <location filename="../inpatient_screen.py" line="49"/>
        <source>Discharged: F9 pre-settles the stay.</source>
        <translation>已出院：按 F9 预结算本次住院。</translation>
    </message>
    <message>
        <location filename="../inpatient_screen.py" line="50"/>
        <source>Cancel discharge</source>
        <translation>撤销出院</translation>
    </message>
</context>
<context>
    <name>LinesModel</name>
    <message>
        <location filename="../sale_view.py" line="95"/>
        <source>Drug / spec</source>
        <translation>药品 / 规格</translation>
    </message>
    <message>
        <location filename="../sale_view.py" line="95"/>
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../sale_view.py" line="95"/>
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../sale_view.py" line="95"/>
        <source>Price</source>
        <translation>单价</translation>
    </message>
    <message>
        <location filename="../sale_view.py" line="95"/>
        <source>Codes</source>
        <translation>追溯码</translation>
    </message>
    <message>
        <location filename="../sale_view.py" line="96"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../sale_view.py" line="96"/>
        <source>Self-pay</source>
        <translation>自付</translation>
    </message>
    <message>
        <location filename="../sale_view.py" line="96"/>
        <source>Over limit</source>
        <translation>超限价</translation>
    </message>
    <message>
        <location filename="../sale_view.py" line="124"/>
        <source>Rx %1</source>
        <translation>处方 %1</translation>
    </message>
    <message>
        <source>Rx: number?</source>
        <translation type="vanished">处方：待填处方号</translation>
    </message>
    <message>
        <location filename="../sale_view.py" line="121"/>
        <source>limit %1</source>
        <translation>限购 %1</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="93"/>
        <source>Counter terminal: medical insurance checkout</source>
        <translation>医保收银终端</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="94"/>
        <source>Screens</source>
        <translation>界面</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="95"/>
        <source>Ctrl+L Lock</source>
        <translation>Ctrl+L 锁屏</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="96"/>
        <source>Ctrl+P Reprint receipt</source>
        <translation>Ctrl+P 补打小票</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="97"/>
        <source>Ctrl+Shift+Q Sign out</source>
        <translation>Ctrl+Shift+Q 退出登录</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="123"/>
        <source>cashier</source>
        <translation>收银员</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="123"/>
        <source>supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="124"/>
        <source>technician</source>
        <translation>技术人员</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="128"/>
        <source>Demo panel</source>
        <translation>演示面板</translation>
    </message>
</context>
<context>
    <name>MismatchModel</name>
    <message>
        <location filename="../dayend_screen.py" line="49"/>
        <source>Settlement no.</source>
        <translation>结算号</translation>
    </message>
    <message>
        <location filename="../dayend_screen.py" line="49"/>
        <source>Reversal</source>
        <translation>冲正</translation>
    </message>
    <message>
        <location filename="../dayend_screen.py" line="49"/>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
</context>
<context>
    <name>OutpatientScreen</name>
    <message>
        <location filename="../outpatient_screen.py" line="15"/>
        <source>Outpatient desk: registration and payment</source>
        <translation>门诊：挂号与收费</translation>
    </message>
    <message>
        <location filename="../outpatient_screen.py" line="19"/>
        <source>code and name, such as A03 内科</source>
        <translation>编码和名称，如 A03 内科</translation>
    </message>
    <message>
        <location filename="../outpatient_screen.py" line="21"/>
        <source>code and name, such as D012 李医生</source>
        <translation>编码和姓名，如 D012 李医生</translation>
    </message>
    <message>
        <location filename="../outpatient_screen.py" line="23"/>
        <source>the hospital&apos;s outpatient number</source>
        <translation>医院门诊号</translation>
    </message>
    <message>
        <location filename="../outpatient_screen.py" line="24"/>
        <source>Department</source>
        <translation>科室</translation>
    </message>
    <message>
        <location filename="../outpatient_screen.py" line="24"/>
        <source>Doctor</source>
        <translation>医生</translation>
    </message>
    <message>
        <location filename="../outpatient_screen.py" line="25"/>
        <source>Outpatient no.</source>
        <translation>门诊号</translation>
    </message>
</context>
<context>
    <name>PatientPanel</name>
    <message>
        <location filename="../desk_view.py" line="47"/>
        <source>Patient: read the card (F2) or scan the e-voucher</source>
        <translation>患者：请读卡（F2）或扫描医保电子凭证</translation>
    </message>
    <message>
        <source>Employee insurance</source>
        <translation type="vanished">职工医保</translation>
    </message>
    <message>
        <source>Resident insurance</source>
        <translation type="vanished">居民医保</translation>
    </message>
    <message>
        <location filename="../desk_view.py" line="51"/>
        <source>Patient %1</source>
        <translation>患者 %1</translation>
    </message>
    <message>
        <location filename="../desk_view.py" line="53"/>
        <source>No open visit.</source>
        <translation>没有未结束的就诊。</translation>
    </message>
    <message>
        <location filename="../desk_view.py" line="57"/>
        <source>Visit %1</source>
        <translation>就诊 %1</translation>
    </message>
    <message>
        <location filename="../desk_view.py" line="61"/>
        <source>bed %1</source>
        <translation>%1 床</translation>
    </message>
    <message>
        <location filename="../desk_view.py" line="65"/>
        <source>deposit %1</source>
        <translation>押金 %1</translation>
    </message>
    <message>
        <location filename="../desk_view.py" line="73"/>
        <source>A message&apos;s outcome is unknown: F12 asks the service again.</source>
        <translation>有报文结果未知：按 F12 再次询问医保服务。</translation>
    </message>
    <message>
        <location filename="../desk_view.py" line="75"/>
        <source>Cancelled.</source>
        <translation>已撤销。</translation>
    </message>
    <message>
        <location filename="../desk_view.py" line="77"/>
        <source>Settled.</source>
        <translation>已结算。</translation>
    </message>
    <message numerus="yes">
        <location filename="../desk_view.py" line="78"/>
        <source>%n fee(s) uploaded, not settled</source>
        <translation>
            <numerusform>已上传 %n 条费用，未结算</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../desk_view.py" line="80"/>
        <source>discharged</source>
        <translation>已出院</translation>
    </message>
    <message>
        <location filename="../desk_view.py" line="80"/>
        <source>in hospital</source>
        <translation>在院</translation>
    </message>
</context>
<context>
    <name>PersonPanel</name>
    <message>
        <location filename="../sale_view.py" line="61"/>
        <source>Insured person: read the card (F2) or scan the e-voucher</source>
        <translation>参保人：请读卡（F2）或扫描医保电子凭证</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="vanished">未知</translation>
    </message>
    <message>
        <location filename="../sale_view.py" line="66"/>
        <source>Insured person %1</source>
        <translation>参保人 %1</translation>
    </message>
    <message>
        <location filename="../sale_view.py" line="70"/>
        <source>balance %1</source>
        <translation>个账余额 %1</translation>
    </message>
    <message>
        <location filename="../sale_view.py" line="72"/>
        <source>offline: as last known</source>
        <translation>离线：显示最近一次的信息</translation>
    </message>
    <message>
        <location filename="../sale_view.py" line="74"/>
        <source>insurance suspended</source>
        <translation>医保已暂停</translation>
    </message>
    <message>
        <location filename="../sale_view.py" line="79"/>
        <source>Family mutual aid: holder %1</source>
        <translation>家庭共济：账户持有人 %1</translation>
    </message>
    <message>
        <source>Employee insurance</source>
        <translation type="vanished">职工医保</translation>
    </message>
    <message>
        <source>Resident insurance</source>
        <translation type="vanished">居民医保</translation>
    </message>
    <message>
        <location filename="../sale_view.py" line="84"/>
        <source>in service</source>
        <translation>在职</translation>
    </message>
    <message>
        <location filename="../sale_view.py" line="84"/>
        <source>retired</source>
        <translation>退休</translation>
    </message>
</context>
<context>
    <name>QueueControl</name>
    <message>
        <location filename="../queue_control.py" line="70"/>
        <source>Sent again now.</source>
        <translation>已重新发送。</translation>
    </message>
    <message>
        <location filename="../queue_control.py" line="83"/>
        <source>%1 rows exported (names and numbers masked) to %2</source>
        <translation>已导出 %1 行到 %2（姓名和号码已脱敏）</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <location filename="../queue_screen.py" line="47"/>
        <source>Sale time</source>
        <translation>销售时间</translation>
    </message>
    <message>
        <location filename="../queue_screen.py" line="47"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../queue_screen.py" line="47"/>
        <source>Person</source>
        <translation>参保人</translation>
    </message>
    <message>
        <location filename="../queue_screen.py" line="47"/>
        <source>Fees</source>
        <translation>医疗费用</translation>
    </message>
    <message>
        <location filename="../queue_screen.py" line="47"/>
        <source>Cash collected</source>
        <translation>已收现金</translation>
    </message>
    <message>
        <location filename="../queue_screen.py" line="48"/>
        <source>Refund / owed</source>
        <translation>应退 / 应补</translation>
    </message>
    <message>
        <location filename="../queue_screen.py" line="48"/>
        <source>Tries</source>
        <translation>尝试次数</translation>
    </message>
    <message>
        <location filename="../queue_screen.py" line="48"/>
        <source>Last error</source>
        <translation>最近错误</translation>
    </message>
    <message>
        <location filename="../queue_screen.py" line="52"/>
        <source>refund due</source>
        <translation>应退患者</translation>
    </message>
    <message>
        <location filename="../queue_screen.py" line="52"/>
        <source>patient owes</source>
        <translation>患者应补</translation>
    </message>
    <message>
        <location filename="../queue_screen.py" line="54"/>
        <source>queued</source>
        <translation>待上传</translation>
    </message>
    <message>
        <location filename="../queue_screen.py" line="55"/>
        <source>forwarding</source>
        <translation>上传中</translation>
    </message>
    <message>
        <location filename="../queue_screen.py" line="56"/>
        <source>outcome unknown: checking</source>
        <translation>结果未知：核实中</translation>
    </message>
    <message>
        <location filename="../queue_screen.py" line="57"/>
        <source>declined</source>
        <translation>被拒绝</translation>
    </message>
    <message>
        <location filename="../queue_screen.py" line="58"/>
        <source>needs attention</source>
        <translation>需处理</translation>
    </message>
    <message>
        <location filename="../queue_screen.py" line="59"/>
        <source>reversal pending</source>
        <translation>待冲正</translation>
    </message>
    <message>
        <location filename="../queue_screen.py" line="60"/>
        <source>not sent</source>
        <translation>未发送</translation>
    </message>
    <message>
        <location filename="../queue_screen.py" line="61"/>
        <source>pre-settled, not sent</source>
        <translation>已预结算，未发送</translation>
    </message>
</context>
<context>
    <name>QueueScreen</name>
    <message>
        <location filename="../queue_screen.py" line="85"/>
        <source>Sales waiting for the settlement service</source>
        <translation>等待医保结算服务的销售</translation>
    </message>
    <message>
        <location filename="../queue_screen.py" line="90"/>
        <source>Forwarding %v of %m</source>
        <translation>正在上传 %v / %m</translation>
    </message>
    <message>
        <location filename="../queue_screen.py" line="100"/>
        <source>Nothing is waiting: every sale is settled with the service.</source>
        <translation>没有等待中的销售：所有销售均已与医保服务结算。</translation>
    </message>
    <message>
        <location filename="../queue_screen.py" line="103"/>
        <source>Retry now</source>
        <translation>立即重试</translation>
    </message>
    <message>
        <location filename="../queue_screen.py" line="104"/>
        <source>Export (masked)</source>
        <translation>导出（已脱敏）</translation>
    </message>
    <message>
        <location filename="../queue_screen.py" line="105"/>
        <source>Back to the sale</source>
        <translation>返回销售</translation>
    </message>
    <message numerus="yes">
        <location filename="../queue_screen.py" line="133"/>
        <source>%n sale(s) queued</source>
        <translation>
            <numerusform>%n 笔销售待上传</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../queue_screen.py" line="135"/>
        <source>%n declined</source>
        <translation>
            <numerusform>%n 笔被拒绝</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../queue_screen.py" line="137"/>
        <source>%n need(s) attention</source>
        <translation>
            <numerusform>%n 笔需处理</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../queue_screen.py" line="139"/>
        <source>refunds due to patients ¥%1</source>
        <translation>应退患者 ¥%1</translation>
    </message>
    <message>
        <location filename="../queue_screen.py" line="141"/>
        <source>owed by patients ¥%1</source>
        <translation>患者应补 ¥%1</translation>
    </message>
</context>
<context>
    <name>Receipts</name>
    <message>
        <location filename="../receipt_output.py" line="52"/>
        <source>There is no receipt to print again yet.</source>
        <translation>还没有可以补打的小票。</translation>
    </message>
    <message>
        <location filename="../receipt_output.py" line="63"/>
        <source>The receipt could not be made: %1 The sale is kept; Ctrl+P prints it again.</source>
        <translation>无法生成小票：%1 销售记录已保存；按 Ctrl+P 可补打。</translation>
    </message>
    <message>
        <location filename="../receipt_output.py" line="88"/>
        <source>The receipt did not print: %1 The sale is kept; Ctrl+P prints it again.</source>
        <translation>小票未打印：%1 销售记录已保存；按 Ctrl+P 可补打。</translation>
    </message>
</context>
<context>
    <name>ScanTable</name>
    <message>
        <location filename="../devices_tables.py" line="42"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../devices_tables.py" line="42"/>
        <source>Scanner</source>
        <translation>扫码设备</translation>
    </message>
    <message>
        <location filename="../devices_tables.py" line="42"/>
        <source>Code</source>
        <translation>码</translation>
    </message>
    <message>
        <location filename="../devices_tables.py" line="42"/>
        <source>Routed as</source>
        <translation>识别为</translation>
    </message>
    <message>
        <location filename="../devices_tables.py" line="42"/>
        <source>What</source>
        <translation>内容</translation>
    </message>
    <message>
        <location filename="../devices_tables.py" line="53"/>
        <source>serial scanner</source>
        <translation>串口扫码枪</translation>
    </message>
    <message>
        <location filename="../devices_tables.py" line="53"/>
        <source>keyboard wedge</source>
        <translation>键盘口扫码枪</translation>
    </message>
    <message>
        <location filename="../devices_tables.py" line="54"/>
        <source>camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <location filename="../devices_tables.py" line="57"/>
        <source>e-voucher</source>
        <translation>医保电子凭证</translation>
    </message>
    <message>
        <location filename="../devices_tables.py" line="57"/>
        <source>drug barcode</source>
        <translation>药品条码</translation>
    </message>
    <message>
        <location filename="../devices_tables.py" line="58"/>
        <source>traceability code</source>
        <translation>追溯码</translation>
    </message>
    <message>
        <location filename="../devices_tables.py" line="58"/>
        <source>rejected</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <location filename="../devices_tables.py" line="64"/>
        <source>signature checked</source>
        <translation>签名已验证</translation>
    </message>
    <message>
        <location filename="../devices_tables.py" line="64"/>
        <source>signature not checked</source>
        <translation>签名未验证</translation>
    </message>
    <message>
        <location filename="../devices_tables.py" line="65"/>
        <source>person %1, %2</source>
        <translation>参保人 %1，%2</translation>
    </message>
    <message>
        <location filename="../devices_tables.py" line="67"/>
        <source>goes to its box&apos;s line</source>
        <translation>归入该盒药品的行</translation>
    </message>
    <message>
        <location filename="../devices_tables.py" line="69"/>
        <source>a drug barcode (the price list is not loaded yet)</source>
        <translation>药品条码（价格目录尚未载入）</translation>
    </message>
    <message>
        <location filename="../devices_tables.py" line="70"/>
        <source>not in the drug catalog</source>
        <translation>不在药品目录中</translation>
    </message>
</context>
<context>
    <name>Screens</name>
    <message>
        <location filename="../counter_screens.py" line="93"/>
        <source>History</source>
        <translation>交易查询</translation>
    </message>
    <message>
        <location filename="../counter_screens.py" line="97"/>
        <source>Day-end</source>
        <translation>日结</translation>
    </message>
    <message>
        <location filename="../counter_screens.py" line="100"/>
        <source>Audit trail</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <location filename="../counter_screens.py" line="106"/>
        <source>Devices</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../counter_screens.py" line="151"/>
        <source>(nothing more for this role)</source>
        <translation>（此角色没有其他界面）</translation>
    </message>
</context>
<context>
    <name>SignInScreen</name>
    <message>
        <location filename="../signin_screen.py" line="92"/>
        <source>Operator number</source>
        <translation>操作员编号</translation>
    </message>
    <message>
        <location filename="../signin_screen.py" line="93"/>
        <source>PIN</source>
        <translation>PIN 码</translation>
    </message>
    <message>
        <location filename="../signin_screen.py" line="95"/>
        <source>Locked: %1, type your PIN to go on</source>
        <translation>已锁屏（%1）：输入 PIN 码继续</translation>
    </message>
    <message>
        <location filename="../signin_screen.py" line="96"/>
        <source>Unlock (Enter)</source>
        <translation>解锁（Enter）</translation>
    </message>
    <message>
        <location filename="../signin_screen.py" line="98"/>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../signin_screen.py" line="99"/>
        <source>Sign in (Enter)</source>
        <translation>登录（Enter）</translation>
    </message>
    <message>
        <location filename="../signin_screen.py" line="125"/>
        <source>Type your operator number, then press Enter.</source>
        <translation>请输入操作员编号，然后按 Enter。</translation>
    </message>
    <message>
        <location filename="../signin_screen.py" line="129"/>
        <source>Type your PIN, then press Enter.</source>
        <translation>请输入 PIN 码，然后按 Enter。</translation>
    </message>
    <message>
        <location filename="../signin_screen.py" line="133"/>
        <source>Checking…</source>
        <translation>正在验证…</translation>
    </message>
</context>
<context>
    <name>SplitPanel</name>
    <message>
        <location filename="../sale_view.py" line="136"/>
        <source>Medical fees</source>
        <translation>医疗费用</translation>
    </message>
    <message>
        <location filename="../sale_view.py" line="136"/>
        <source>Pooled fund</source>
        <translation>统筹支付</translation>
    </message>
    <message>
        <location filename="../sale_view.py" line="137"/>
        <source>Personal account</source>
        <translation>个人账户</translation>
    </message>
    <message>
        <location filename="../sale_view.py" line="137"/>
        <source>Family mutual aid</source>
        <translation>家庭共济</translation>
    </message>
    <message>
        <location filename="../sale_view.py" line="138"/>
        <source>Cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <location filename="../sale_view.py" line="144"/>
        <location filename="../sale_view.py" line="184"/>
        <source>Cash due</source>
        <translation>应收现金</translation>
    </message>
    <message>
        <location filename="../sale_view.py" line="184"/>
        <source>Total (not pre-settled)</source>
        <translation>合计（未预结算）</translation>
    </message>
    <message>
        <location filename="../sale_view.py" line="185"/>
        <source>ESTIMATE: sold offline, the service confirms it later</source>
        <translation>预估：离线销售，稍后由医保服务确认</translation>
    </message>
    <message>
        <location filename="../sale_view.py" line="189"/>
        <source>Received %1   Change %2</source>
        <translation>实收 %1   找零 %2</translation>
    </message>
    <message>
        <location filename="../sale_view.py" line="193"/>
        <source>Personal account used (F8 to turn off)</source>
        <translation>使用个人账户（按 F8 关闭）</translation>
    </message>
    <message>
        <location filename="../sale_view.py" line="194"/>
        <source>Personal account NOT used for this sale (F8 to turn on)</source>
        <translation>本笔不使用个人账户（按 F8 开启）</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <location filename="../status_bar.py" line="50"/>
        <source>Service online</source>
        <translation>医保服务在线</translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="50"/>
        <source>Service slow</source>
        <translation>医保服务缓慢</translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="51"/>
        <source>Service offline</source>
        <translation>医保服务离线</translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="52"/>
        <source>Service: not yet asked</source>
        <translation>医保服务：尚未连接</translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="55"/>
        <source>(last answer %1)</source>
        <translation>（最近应答 %1）</translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="61"/>
        <source>Queue empty</source>
        <translation>无待上传</translation>
    </message>
    <message numerus="yes">
        <location filename="../status_bar.py" line="63"/>
        <location filename="../status_bar.py" line="70"/>
        <source>%n need(s) attention</source>
        <translation>
            <numerusform>%n 笔需处理</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../status_bar.py" line="66"/>
        <source>%n sale(s) queued</source>
        <translation>
            <numerusform>%n 笔待上传</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="67"/>
        <source>oldest %1 of %2</source>
        <translation>最早 %1（上限 %2）</translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="71"/>
        <source>the most sales that may wait is reached</source>
        <translation>待上传笔数已达上限</translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="72"/>
        <source>the largest amount that may wait is reached</source>
        <translation>待上传金额已达上限</translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="73"/>
        <source>the oldest sale is near the age limit</source>
        <translation>最早一笔即将超过时限</translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="83"/>
        <source>%1 d %2 h</source>
        <translation>%1 天 %2 小时</translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="85"/>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="86"/>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="91"/>
        <source>Forwarding: %1 sent, %2 left</source>
        <translation>上传中：已发送 %1，剩余 %2</translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="94"/>
        <source>Forwarding waits for the service</source>
        <translation>上传等待医保服务</translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="96"/>
        <source>Another terminal forwards this journal</source>
        <translation>另一终端正在上传此交易日志</translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="98"/>
        <source>Forwarding stopped</source>
        <translation>上传已停止</translation>
    </message>
    <message numerus="yes">
        <location filename="../status_bar.py" line="100"/>
        <source>%n to forward</source>
        <translation>
            <numerusform>%n 笔待上传</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="102"/>
        <source>All forwarded</source>
        <translation>已全部上传</translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="109"/>
        <source>Card reader</source>
        <translation>读卡器</translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="109"/>
        <source>Scanner</source>
        <translation>扫码枪</translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="110"/>
        <source>Camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="110"/>
        <source>Printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="111"/>
        <source>ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="111"/>
        <source>connecting</source>
        <translation>连接中</translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="112"/>
        <source>lost</source>
        <translation>已断开</translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="112"/>
        <source>failed</source>
        <translation>故障</translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="113"/>
        <source>off</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>Till</name>
    <message>
        <location filename="../till.py" line="140"/>
        <source>The sale is being settled: wait for the receipt, then scan again.</source>
        <translation>正在结算：请等小票打出后再扫码。</translation>
    </message>
    <message>
        <location filename="../till.py" line="142"/>
        <source>Identifying the person…</source>
        <translation>正在识别参保人…</translation>
    </message>
    <message>
        <location filename="../till.py" line="154"/>
        <source>This person&apos;s insurance is suspended: sell for cash.</source>
        <translation>此人医保已暂停：请按现金销售。</translation>
    </message>
    <message>
        <location filename="../till.py" line="156"/>
        <source>The settlement service cannot be reached: this sale is an offline estimate.</source>
        <translation>无法连接医保结算服务：本笔为离线预估。</translation>
    </message>
    <message>
        <location filename="../till.py" line="159"/>
        <source>Person identified: scan the drugs, then F9 to pre-settle.</source>
        <translation>参保人已识别：请扫描药品，然后按 F9 预结算。</translation>
    </message>
    <message>
        <location filename="../till.py" line="175"/>
        <source>%1 is not in the price list.</source>
        <translation>%1 不在价目表中。</translation>
    </message>
    <message>
        <location filename="../till.py" line="186"/>
        <source>The quantity must be a number, such as 2 or 0.5.</source>
        <translation>数量必须是数字，如 2 或 0.5。</translation>
    </message>
    <message numerus="yes">
        <location filename="../till.py" line="191"/>
        <source>%n box code(s) dropped with the boxes taken off the line.</source>
        <translation>
            <numerusform>随减少的药盒一起移除了 %n 个追溯码。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../till.py" line="208"/>
        <source>Sale held: F7 takes it back.</source>
        <translation>已挂单：按 F7 取回。</translation>
    </message>
    <message>
        <location filename="../till.py" line="224"/>
        <source>Still identifying the person: press F9 again in a moment.</source>
        <translation>仍在识别参保人：请稍后再按 F9。</translation>
    </message>
    <message>
        <location filename="../till.py" line="243"/>
        <source>Offline estimate: the service will confirm it later. F10 to settle.</source>
        <translation>离线预估：稍后由医保服务确认。按 F10 结算。</translation>
    </message>
    <message>
        <location filename="../till.py" line="245"/>
        <source>Pre-settled: nothing to pay in cash. Enter or F10 settles.</source>
        <translation>已预结算：无需支付现金。按 Enter 或 F10 结算。</translation>
    </message>
    <message>
        <location filename="../till.py" line="247"/>
        <source>Pre-settled: the split is shown. Type the cash received, then F10.</source>
        <translation>已预结算：费用分担已显示。请输入实收现金，然后按 F10。</translation>
    </message>
    <message>
        <location filename="../till.py" line="252"/>
        <location filename="../till.py" line="305"/>
        <source>%1 F10 sells it for cash, without insurance; F12 voids it.</source>
        <translation>%1 F10：按现金销售（不走医保）；F12：作废。</translation>
    </message>
    <message>
        <location filename="../till.py" line="274"/>
        <source>Settling…</source>
        <translation>正在结算…</translation>
    </message>
    <message>
        <location filename="../till.py" line="289"/>
        <source>Sold for cash, without insurance: the receipt is printing.</source>
        <translation>已按现金销售（未走医保）：正在打印小票。</translation>
    </message>
    <message>
        <location filename="../till.py" line="291"/>
        <source>Settled: the receipt is printing.</source>
        <translation>结算完成：正在打印小票。</translation>
    </message>
    <message>
        <location filename="../till.py" line="293"/>
        <source>Sold offline on the estimate: the sale will be forwarded when the service is back.</source>
        <translation>已按预估离线销售：医保服务恢复后将自动上传。</translation>
    </message>
    <message>
        <location filename="../till.py" line="302"/>
        <source>%1 The terminal keeps asking the service; Esc serves the next customer meanwhile.</source>
        <translation>%1 终端会继续向医保服务查询；期间可按 Esc 接待下一位顾客。</translation>
    </message>
    <message>
        <location filename="../till.py" line="324"/>
        <source>Type the cash received as an amount, such as 100 or 52.50, then F10.</source>
        <translation>请输入实收现金金额，例如 100 或 52.50，然后按 F10。</translation>
    </message>
    <message>
        <location filename="../till.py" line="328"/>
        <source>%1 received is less than the %2 cash due: type what the customer gave.</source>
        <translation>实收 %1 少于应收现金 %2：请输入顾客实际付款金额。</translation>
    </message>
    <message>
        <location filename="../till.py" line="339"/>
        <source>Sale %1, whose outcome was unknown, was undone by a supervisor: nothing of it stands.</source>
        <translation>结果未知的交易 %1 已由主管撤销：该交易不再有效。</translation>
    </message>
    <message>
        <location filename="../till.py" line="346"/>
        <source>The service confirmed the settlement: the receipt is printing.</source>
        <translation>医保服务已确认结算：正在打印小票。</translation>
    </message>
    <message>
        <location filename="../till.py" line="352"/>
        <source>Set aside while the service is asked: its receipt prints once the service answers. Next customer.</source>
        <translation>已暂放一旁，等待医保服务答复：答复后自动打印小票。请接待下一位顾客。</translation>
    </message>
</context>
<context>
    <name>TillRules</name>
    <message>
        <location filename="../till_rules.py" line="53"/>
        <source>Code %1 waits for its box: scan the box&apos;s barcode (EAN-13).</source>
        <translation>追溯码 %1 正在等待对应药盒：请扫描药盒条码（EAN-13）。</translation>
    </message>
    <message>
        <location filename="../till_rules.py" line="57"/>
        <source>Code %1 on line %2.</source>
        <translation>追溯码 %1 已记入第 %2 行。</translation>
    </message>
    <message>
        <location filename="../till_rules.py" line="70"/>
        <source>%1 waiting box code(s) went to line %2.</source>
        <translation>%1 个等待中的追溯码已记入第 %2 行。</translation>
    </message>
</context>
<context>
    <name>Words</name>
    <message>
        <location filename="../words.py" line="13"/>
        <source>not sent</source>
        <translation>未发送</translation>
    </message>
    <message>
        <location filename="../words.py" line="14"/>
        <source>pre-settled, not sent</source>
        <translation>已预结算，未发送</translation>
    </message>
    <message>
        <source>outcome unknown</source>
        <translation type="vanished">结果未知</translation>
    </message>
    <message>
        <location filename="../words.py" line="15"/>
        <source>sent, answer awaited</source>
        <translation>已发送，等待应答</translation>
    </message>
    <message>
        <location filename="../words.py" line="16"/>
        <source>settled</source>
        <translation>已结算</translation>
    </message>
    <message>
        <location filename="../words.py" line="17"/>
        <source>queued offline</source>
        <translation>离线待上传</translation>
    </message>
    <message>
        <location filename="../words.py" line="18"/>
        <source>forwarding</source>
        <translation>上传中</translation>
    </message>
    <message>
        <location filename="../words.py" line="19"/>
        <source>forwarded, settled</source>
        <translation>已上传结算</translation>
    </message>
    <message>
        <location filename="../words.py" line="20"/>
        <source>declined</source>
        <translation>被拒</translation>
    </message>
    <message>
        <location filename="../words.py" line="21"/>
        <source>reversal pending</source>
        <translation>冲正中</translation>
    </message>
    <message>
        <location filename="../words.py" line="22"/>
        <source>reversed</source>
        <translation>已冲正</translation>
    </message>
    <message>
        <location filename="../words.py" line="23"/>
        <source>needs attention</source>
        <translation>需处理</translation>
    </message>
    <message>
        <location filename="../words.py" line="29"/>
        <source>pharmacy sale</source>
        <translation>药店销售</translation>
    </message>
    <message>
        <location filename="../words.py" line="30"/>
        <source>outpatient registration</source>
        <translation>门诊挂号</translation>
    </message>
    <message>
        <location filename="../words.py" line="31"/>
        <source>outpatient settlement</source>
        <translation>门诊结算</translation>
    </message>
    <message>
        <location filename="../words.py" line="32"/>
        <source>admission</source>
        <translation>入院登记</translation>
    </message>
    <message>
        <location filename="../words.py" line="33"/>
        <source>discharge settlement</source>
        <translation>出院结算</translation>
    </message>
    <message>
        <location filename="../words.py" line="34"/>
        <source>reversal</source>
        <translation>冲正</translation>
    </message>
    <message>
        <location filename="../words.py" line="35"/>
        <source>cash sale</source>
        <translation>现金销售</translation>
    </message>
    <message>
        <location filename="../words.py" line="42"/>
        <source>Employee insurance</source>
        <translation>职工医保</translation>
    </message>
    <message>
        <location filename="../words.py" line="43"/>
        <source>Resident insurance</source>
        <translation>居民医保</translation>
    </message>
    <message>
        <location filename="../words.py" line="49"/>
        <source>Medical fees</source>
        <translation>医疗费用</translation>
    </message>
    <message>
        <location filename="../words.py" line="50"/>
        <source>Pooled fund</source>
        <translation>统筹支付</translation>
    </message>
    <message>
        <location filename="../words.py" line="51"/>
        <source>Personal account</source>
        <translation>个人账户</translation>
    </message>
    <message>
        <location filename="../words.py" line="52"/>
        <source>Family mutual aid</source>
        <translation>家庭共济</translation>
    </message>
    <message>
        <location filename="../words.py" line="53"/>
        <source>Cash</source>
        <translation>现金</translation>
    </message>
</context>
</TS>

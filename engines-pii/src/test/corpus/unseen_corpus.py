#!/usr/bin/env python3
"""Generates engines-pii/src/test/resources/pii/unseen.jsonl, the labelled corpus of EvaluatorTests.

Every card number is generated Luhn-valid (or deliberately invalid for negatives) and every IBAN
mod-97-valid (or with deliberately wrong check digits), both asserted; span offsets are computed
from the markup, never written by hand. The seeds are fixed, so the output is reproducible:

    python3 engines-pii/src/test/corpus/unseen_corpus.py engines-pii/src/test/resources/pii/unseen.jsonl

Phone values were checked with libphonenumber's isValidNumber for the default regions.
"""
import sys, json, re, random, base64
R = random.Random(20261201)

def luhn_ok(s):
    d=[int(x) for x in s if x.isdigit()]
    t=0
    for i,v in enumerate(reversed(d)):
        if i%2: v*=2; v = v-9 if v>9 else v
        t+=v
    return t%10==0

def luhn_complete(prefix, length):
    body = prefix + ''.join(R.choice('0123456789') for _ in range(length-len(prefix)-1))
    for c in '0123456789':
        if luhn_ok(body+c): return body+c

def luhn_bad(prefix, length):
    s = luhn_complete(prefix, length)
    last = (int(s[-1])+R.randint(1,9))%10
    return s[:-1]+str(last)

CARD_PREFIX = {
 'visa': (lambda: '4'+str(R.randint(10,99))+str(R.randint(0,9)), 16),
 'visa13': (lambda: '4'+str(R.randint(100,999)), 13),
 'mc': (lambda: str(R.randint(51,55))+str(R.randint(10,99)), 16),
 'mc2': (lambda: str(R.randint(2221,2720)), 16),
 'amex': (lambda: R.choice(['34','37'])+str(R.randint(10,99)), 15),
 'disc': (lambda: R.choice(['6011','6440','6500','6521']), 16),
 'jcb': (lambda: str(R.randint(3528,3589)), 16),
 'diners': (lambda: R.choice(['36','38'])+str(R.randint(10,99)), 14),
}
def card(kind, fmt='compact', sep=None, bad=False):
    p, n = CARD_PREFIX[kind]
    s = (luhn_bad if bad else luhn_complete)(p(), n)
    assert luhn_ok(s) != bad
    if fmt == 'compact': return s
    if n == 15: groups=[4,6,5]
    elif n == 14: groups=[4,6,4]
    elif n == 13: groups=[4,4,5]
    else: groups=[4,4,4,4]
    out=[];i=0
    for g in groups: out.append(s[i:i+g]); i+=g
    return (sep or ' ').join(out)

# IBAN BBAN formats: (length, spec) spec like '18n' '4a14n' etc. a=upper, n=digit, c=alnum
IBAN_SPEC = {
 'DE':'18n','GB':'4a14n','FR':'10n11c2n','NL':'4a10n','ES':'20n','IT':'1a10n12c','BE':'12n','AT':'16n',
 'CH':'5n12c','PL':'24n','PT':'21n','IE':'4a14n','SE':'20n','NO':'11n','DK':'14n','FI':'14n','LU':'3n13c',
 'GR':'7n16c','CZ':'20n','HU':'24n','RO':'4a16c','SA':'2n18c','AE':'3n16n','LI':'5n12c','MT':'4a5n18c',
 'SK':'20n','SI':'15n','HR':'17n','EE':'16n','LT':'16n','LV':'4a13c','IS':'22n','BG':'4a6n8c','CY':'8n16c',
}
def _bban(spec, digits_only_c=True):
    out=''
    for num, kind in re.findall(r'(\d+)([anc])', spec):
        for _ in range(int(num)):
            if kind=='n': out+=R.choice('0123456789')
            elif kind=='a': out+=R.choice('ABCDEFGHIJKLMNOPQRSTUVWXYZ')
            else: out+=R.choice('0123456789' if R.random()<0.7 else 'ABCDEFGHJKLMNPRSTUVWXYZ')
    return out
def _mod97(s):
    s = s[4:]+s[:4]
    num=''.join(str(int(ch,36)) for ch in s)
    return int(num)%97
def iban(cc, spaced=False, bad=False):
    b=_bban(IBAN_SPEC[cc])
    if cc=='TR': pass
    check = 98 - _mod97(cc+'00'+b)
    s = cc + '%02d'%check + b
    assert _mod97(s)==1
    if bad:
        c2 = (check + R.randint(1,50)) % 97 or 3
        if c2 == check: c2 = (check+1)%97
        s = cc + '%02d'%c2 + b
        assert _mod97(s)!=1
    if spaced: s=' '.join(s[i:i+4] for i in range(0,len(s),4))
    return s

def ssn(sep='-'):
    while True:
        a=R.randint(1,899)
        if a==666: continue
        g=R.randint(1,99); s=R.randint(1,9999)
        d='%03d%02d%04d'%(a,g,s)
        if len(set(d))==1 or d.startswith(('123456789','98765432','078051120')): continue
        return '%03d%s%02d%s%04d'%(a,sep,g,sep,s)

def hexs(n): return ''.join(R.choice('0123456789abcdef') for _ in range(n))
def uuid(): return '-'.join(hexs(k) for k in (8,4,4,4,12))
def sha(): return hexs(40)
def ip4():
    return R.choice(['203.0.113.','198.51.100.','192.0.2.','10.%d.%d.'%(R.randint(0,255),R.randint(0,255)),'172.%d.%d.'%(R.randint(16,31),R.randint(0,255)),'%d.%d.%d.'%(R.randint(11,223),R.randint(0,255),R.randint(0,255))])+str(R.randint(1,254))
def ip6():
    k=R.randint(0,3)
    if k==0: return '2001:db8:%x:%x::%x'%(R.randint(1,0xffff),R.randint(1,0xffff),R.randint(1,0xffff))
    if k==1: return ':'.join('%x'%R.randint(0,0xffff) for _ in range(8))
    if k==2: return 'fe80::%x:%x:%x:%x'%tuple(R.randint(1,0xffff) for _ in range(4))
    return '2a02:%x:%x::%x'%(R.randint(0x1000,0xffff),R.randint(1,0xffff),R.randint(1,0xff))

def E(v): return '⟦EMAIL_ADDRESS|%s⟧'%v
def P(v): return '⟦PHONE_NUMBER|%s⟧'%v
def C(v): return '⟦CREDIT_CARD|%s⟧'%v
def I(v): return '⟦IBAN_CODE|%s⟧'%v
def IP(v): return '⟦IP_ADDRESS|%s⟧'%v
def S(v): return '⟦US_SSN|%s⟧'%v
def K(t,v): return '⟦%s|%s⟧'%(t,v)
def N(v): return '⟪%s⟫'%v

FIRST=['anna','jonas','marie','lukas','sofia','pieter','giulia','mateo','chloe','olivier','emma','noah','lena','thomas','ines','marco','elif','priya','rahul','yusuf','hanna','david','sara','jan','bram','luca','carmen','pablo','fatima','oren']
LAST=['weber','dubois','jansen','rossi','garcia','muller','bakker','fernandez','martin','novak','schmidt','lefevre','visser','bianchi','lopez','kowalski','cohen','sharma','silva','kaya','nguyen','oconnor','brandt','moreau','de-vries']
DOM=['example.com','example.org','mail.example.net','corp.example.de','support.example.fr','eu.example.io','example.co.uk','students.example.edu','example.nl','posta.example.it','correo.example.es','example.com.br','dev.example.cloud','example.technology','example.ch']
def email(style=None):
    f=R.choice(FIRST); l=R.choice(LAST); d=R.choice(DOM)
    k=style if style is not None else R.randint(0,6)
    if k==0: return f'{f}.{l}@{d}'
    if k==1: return f'{f}+{R.choice(["billing","news","jira","tickets","2026"])}@{d}'
    if k==2: return f'{f[0]}{l}{R.randint(1,99)}@{d}'
    if k==3: return f'{f.capitalize()}.{l.capitalize()}@{d}'
    if k==4: return f'{f}_{l}@{d}'
    if k==5: return f'{l}-{f}@{d}'
    return f'{f}.{l}%{R.choice(["ops","hr"])}@{d}'

US=['212','312','415','617','206','303','512','646','718','773','202','305','404','469','503','602','713','919']
CA=['416','604','514','403','613']
def nxx():
    while True:
        x=R.randint(201,989)
        if x%100!=11 and x!=555 and x//10!=95: return str(x)
def us(fmt=None, ca=False):
    a=R.choice(CA if ca else US); b=nxx(); c='%04d'%R.randint(1000,9999)
    k=fmt if fmt is not None else R.randint(0,5)
    return [f'({a}) {b}-{c}', f'{a}-{b}-{c}', f'{a}.{b}.{c}', f'+1 {a} {b} {c}', f'+1-{a}-{b}-{c}', f'+1 ({a}) {b}-{c}'][k]
def gb(k=None):
    k=k if k is not None else R.randint(0,4)
    m='7%d%02d'%(R.choice([4,5,7,8,9]),R.randint(0,99)); r='%06d'%R.randint(100000,999999)
    return [f'0{m} {r}', f'+44 {m} {r}', f'+44 20 {R.choice([3,7,8])}{R.randint(100,999)} {R.randint(1000,9999)}', f'020 {R.choice([3,7,8])}{R.randint(100,999)} {R.randint(1000,9999)}', f'0161 {R.randint(200,999)} {R.randint(1000,9999)}'][k]
def de(k=None):
    k=k if k is not None else R.randint(0,4)
    mob=R.choice(['170','171','175'])
    return [f'030 {R.randint(2000000,9999999)}', f'+49 30 {R.randint(20000000,99999999)}', f'+49 (0)89 {R.randint(2000,9999)} {R.randint(1000,9999)}', f'0{mob} {R.randint(1000000,9999999)}', f'+49 {mob} {R.randint(1000000,9999999)}'][k]
def fr(k=None):
    k=k if k is not None else R.randint(0,3)
    p=lambda: ' '.join('%02d'%R.randint(10,99) for _ in range(4))
    q=lambda: '%02d '%R.randint(10,59)+' '.join('%02d'%R.randint(10,99) for _ in range(3))
    return [f'0{R.choice([1,2,3,4,5])} {p()}', f'06 {q()}', f'+33 {R.choice([1,6])} {q()}', '0'+str(R.choice([1,4]))+'.'+'.'.join('%02d'%R.randint(10,99) for _ in range(4))][k]
def inn(): return R.choice([f'+91 9{R.randint(1000,9999)} {R.randint(10000,99999)}', f'+91 {R.choice([7,8,9])}{R.randint(100,999)}{R.randint(100000,999999)}'])
def br(): return R.choice([f'+55 11 9{R.randint(6000,9999)}-{R.randint(1000,9999)}', f'(21) 9{R.randint(6000,9999)}-{R.randint(1000,9999)}', f'+55 21 {R.randint(2200,3999)}-{R.randint(1000,9999)}'])
def il(): return R.choice([f'+972 5{R.choice([0,2,3,4])}-{R.randint(200,999)}-{R.randint(1000,9999)}', f'05{R.choice([0,2,3,4])}-{R.randint(200,999)}-{R.randint(1000,9999)}'])
def intl():
    return R.choice([f'+31 20 {R.randint(200,799)} {R.randint(1000,9999)}', f'+31 6 {R.randint(1000,5999)} {R.randint(1000,9999)}',
                     f'+39 06 {R.randint(4000,9999)} {R.randint(1000,9999)}', f'+39 3{R.choice([3,4,9])}{R.randint(0,9)} {R.randint(100,999)} {R.randint(1000,9999)}',
                     f'+34 91{R.randint(1,9)} {R.randint(100,999)} {R.randint(100,999)}', f'+34 6{R.randint(10,99)} {R.randint(10,99)} {R.randint(10,99)} {R.randint(10,99)}',
                     f'+41 44 {R.randint(200,999)} {R.randint(10,99)} {R.randint(10,99)}', f'+32 2 {R.randint(200,799)} {R.randint(10,99)} {R.randint(10,99)}',
                     f'+43 1 {R.randint(200,999)} {R.randint(1000,9999)}'])
def phone():
    return R.choice([us, gb, de, fr, inn, br, il, intl, lambda: us(ca=True)])()
def anycard():
    k=R.choice(list(CARD_PREFIX)); f=R.choice(['compact','spaced','spaced']); sep=R.choice([' ',' ','-'])
    return card(k,f,sep)
IBC=list(IBAN_SPEC)
def anyiban(): return iban(R.choice(IBC), spaced=R.random()<0.5)
def ver(): return 'v%d.%d.%d'%(R.randint(0,9),R.randint(0,40),R.randint(0,99))
def epoch_ms(): return str(R.randint(1700000000000,1799999999999))
def epoch(): return str(R.randint(1700000000,1799999999))
def order(): return R.choice(['ORD-','#','PO-','INV-2026-'])+str(R.randint(100000,9999999))
def ts(): return '2026-%02d-%02dT%02d:%02d:%02d.%03dZ'%(R.randint(1,12),R.randint(1,28),R.randint(0,23),R.randint(0,59),R.randint(0,59),R.randint(0,999))
def bad_ssn(): return R.choice(['000-%02d-%04d'%(R.randint(1,99),R.randint(1,9999)),'666-%02d-%04d'%(R.randint(1,99),R.randint(1,9999)),'9%02d-%02d-%04d'%(R.randint(0,99),R.randint(1,99),R.randint(1,9999)),'%03d-00-%04d'%(R.randint(1,665),R.randint(1,9999)),'%03d-%02d-0000'%(R.randint(1,665),R.randint(1,99))])
def isbn():
    while True:
        b='978'+str(R.randint(0,1))+''.join(R.choice('0123456789') for _ in range(8))
        s=sum(int(c)*(1 if i%2==0 else 3) for i,c in enumerate(b)); ck=(10-s%10)%10
        full=b+str(ck)
        return f'{full[:3]}-{full[3]}-{full[4:8]}-{full[8:12]}-{full[12]}'
def track(): return R.choice(['1Z'+''.join(R.choice('0123456789ABCDEFGHJKLMNPRSTUVWXYZ') for _ in range(16)), 'JD01460000'+str(R.randint(10000000,99999999)), str(R.randint(100000000000,999999999999))])
def port(): return str(R.choice([22,443,5432,6379,8080,8443,9092,27017]))
def coord(): return '%.6f, %.6f'%(R.uniform(-60,60),R.uniform(-120,120))
def price(): return R.choice(['€','$','£',''])+'%d,%03d.%02d'%(R.randint(1,99),R.randint(0,999),R.randint(0,99))
def oid(): return R.choice(['1.3.6.1.4.1.%d.%d.%d'%(R.randint(100,60000),R.randint(1,9),R.randint(1,9)),'1.3.6.1.2.1.%d.%d'%(R.randint(1,9),R.randint(1,30)),'1.2.840.113549.1.1.%d'%R.randint(1,14)])
def aws(): return 'AKIA'+''.join(R.choice('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567') for _ in range(16))
def b64u(b): return base64.urlsafe_b64encode(b).decode().rstrip('=')
def jwt():
    h=b64u(json.dumps({"alg":R.choice(["HS256","RS256","ES256"]),"typ":"JWT"}).encode())
    p=b64u(json.dumps({"sub":str(R.randint(1000,99999)),"iat":int(epoch()),"scope":"read"}).encode())
    return h+'.'+p+'.'+b64u(bytes(R.randint(0,255) for _ in range(32)))
def tok(n): return ''.join(R.choice('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789') for _ in range(n))
def b32(n): return ''.join(R.choice('abcdefghijklmnopqrstuvwxyz234567') for _ in range(n))

lines=[]
def add(tpl, tag): lines.append((tag, tpl))
T=[]
def t(tag):
    def deco(f): T.append((tag,f)); return f
    return deco

@t('json_log')
def _():
    return '{"ts":"%s","level":"INFO","svc":"checkout","msg":"payment authorised","user":"%s","client_ip":"%s","order":"%s"}'%(N(ts()),E(email()),IP(ip4()),N(order()))
@t('json_log')
def _():
    return '{"@timestamp":"%s","logger":"auth.LoginHandler","event":"login_failed","email":"%s","remote_addr":"%s","attempt":%d,"trace_id":"%s"}'%(ts(),E(email()),IP(ip4()),R.randint(1,5),N(hexs(32)))
@t('json_log')
def _():
    return '{"level":"warn","time":%s,"msg":"sms delivery delayed","to":"%s","provider":"twilio","request_id":"%s"}'%(N(epoch_ms()),P(R.choice([us(3),gb(1),de(4),fr(2),inn(),br(),il(),intl()])),N(uuid()))
@t('json_log')
def _():
    return '{"level":"error","msg":"refund failed","iban":"%s","amount":"%s","currency":"EUR","build":"%s"}'%(I(iban(R.choice(IBC))),N(price().lstrip('€$£')),N(ver()))
@t('json_log')
def _():
    return '{"ts":%s,"kind":"ipv6_session","peer":"%s","port":%s,"bytes":%d}'%(epoch(),IP(ip6()),port(),R.randint(100,99999))
@t('nginx')
def _():
    return '%s - - [%02d/Mar/2026:%02d:%02d:%02d +0100] "GET /api/v2/orders/%s HTTP/1.1" 200 %d "-" "Mozilla/5.0 (X11; Linux x86_64)"'%(IP(ip4()),R.randint(1,28),R.randint(0,23),R.randint(0,59),R.randint(0,59),N(str(R.randint(10000000,99999999))),R.randint(200,90000))
@t('nginx')
def _():
    return '%s - - [11/Apr/2026:08:14:%02d +0000] "POST /v1/login?email=%s HTTP/2.0" 401 53 "https://app.example.com/" "curl/8.5.0"'%(IP(ip6()),R.randint(0,59),E(email()))
@t('nginx')
def _():
    return 'upstream timed out (110: Connection timed out) while reading response header from upstream, client: %s, server: api.example.com, upstream: "http://%s:%s/checkout"'%(IP(ip4()),IP(ip4()),port())
@t('nginx')
def _():
    return 'X-Forwarded-For: %s, %s, %s'%(IP(ip4()),IP(ip4()),IP(ip4()))
@t('stack')
def _():
    return 'java.lang.IllegalStateException: duplicate account for %s\n\tat com.example.accounts.AccountService.create(AccountService.java:%d)\n\tat com.example.api.SignupController.post(SignupController.java:%d)'%(E(email()),R.randint(40,400),R.randint(20,200))
@t('stack')
def _():
    return 'Traceback (most recent call last):\n  File "/srv/app/billing.py", line %d, in charge\n    gateway.charge(card="%s", amount=%s)\nbilling.CardDeclined: issuer declined (code 05)'%(R.randint(10,500),C(anycard()),N(price().lstrip('€$£')))
@t('stack')
def _():
    return 'ERROR [pool-3-thread-%d] c.e.net.Connector - connect to [%s]:%s failed: Connection refused (release %s)'%(R.randint(1,9),IP(ip6()),port(),N(ver()))
@t('ticket')
def _():
    return 'Ticket %s: customer %s says the card ending in %s was charged twice. Full number from the call: %s. Call back on %s.'%(N(order()),E(email()),str(R.randint(1000,9999)),C(anycard()),P(us()))
@t('ticket')
def _():
    return 'Hi team, I changed my bank details last week. New IBAN: %s (old one closed). Thanks, %s'%(I(anyiban()),R.choice(FIRST).capitalize())
@t('ticket')
def _():
    return 'Customer could not verify identity. SSN given: %s; DOB on file %s. Escalated to tier 2 (case %s).'%(S(ssn()),N('19%02d-%02d-%02d'%(R.randint(50,99),R.randint(1,12),R.randint(1,28))),N(str(R.randint(1000000,9999999))))
@t('ticket')
def _():
    return 'Please update my phone to %s and my e-mail to <%s>. My old number %s no longer works.'%(P(phone()),E(email()),P(phone()))
@t('chat')
def _():
    return '[%02d:%02d] %s: ok my card is %s exp %s cvc is on the back'%(R.randint(0,23),R.randint(0,59),R.choice(FIRST),C(anycard()),N('%02d/%02d'%(R.randint(1,12),R.randint(27,31))))
@t('chat')
def _():
    return '%s: can you text me at %s? my email (%s) is full'%(R.choice(FIRST),P(phone()),E(email()))
@t('chat')
def _():
    return 'agent: For security, please confirm the last four of your SSN. user: the whole thing is %s lol'%S(ssn(R.choice(['-','-',' '])))
@t('csv')
def _():
    return '%d,%s,%s,%s,%s,%s'%(R.randint(1,99999),R.choice(LAST).capitalize(),E(email()),P(phone()),I(iban(R.choice(IBC))),N('2026-%02d-%02d'%(R.randint(1,12),R.randint(1,28))))
@t('csv')
def _():
    return '"%s","%s","%s","%s",%s'%(R.choice(FIRST).capitalize()+' '+R.choice(LAST).capitalize(),S(ssn()),P(us()),E(email()),R.choice(['active','suspended','pending']))
@t('csv')
def _():
    return '%s;%s;%s;%s'%(N(uuid()),C(anycard()),N('%02d/%02d'%(R.randint(1,12),R.randint(26,31))),N(price()))
@t('email')
def _():
    f=R.choice(FIRST).capitalize(); l=R.choice(LAST).capitalize()
    return 'Thanks again for your help.\n\nBest regards,\n%s %s\nSenior Account Manager\nT: %s | M: %s\n%s\nhttps://www.example.com'%(f,l,P(phone()),P(phone()),E(email()))
@t('email')
def _():
    return 'From: "%s" <%s>\nTo: %s\nCc: %s\nSubject: Re: invoice %s\nMessage-ID: <%s@mail.example.com>'%(R.choice(FIRST).capitalize(),E(email()),E(email()),E(email()),N(order()),N(uuid()))
@t('email')
def _():
    return 'Bitte überweisen Sie den Betrag auf folgendes Konto:\nKontoinhaber: %s %s\nIBAN: %s\nBIC: %s\nVerwendungszweck: Rechnung %s'%(R.choice(FIRST).capitalize(),R.choice(LAST).capitalize(),I(iban('DE',True)),N('COBADEFFXXX'),N(str(R.randint(100000,999999))))
@t('config')
def _():
    return 'DATABASE_HOST=%s\nDATABASE_PORT=5432\nSMTP_FROM=%s\nAWS_ACCESS_KEY_ID=%s\nAPP_VERSION=%s'%(IP(ip4()),E(email()),K('AWS_ACCESS_KEY',aws()),N(ver()))
@t('config')
def _():
    return 'spring.datasource.url=jdbc:postgresql://%s:5432/app\nspring.mail.username=%s\nsentry.release=%s'%(IP(ip4()),E(email()),N(sha()))
@t('config')
def _():
    u=R.choice(FIRST); pw=tok(14)
    return 'redis_url: "redis://%s@cache.internal:6379/0"\nadmin_contact: %s\nlisten: "[%s]:8443"'%(K('URL_CREDENTIALS',u+':'+pw),E(email()),IP(ip6()))
@t('config')
def _():
    return 'interface eth0\n  address %s\n  gateway %s\n  dns-nameservers %s %s\n  hwaddress %s'%(IP(ip4()+'/24'),IP(ip4()),IP(ip4()),IP(ip4()),N(':'.join(hexs(2) for _ in range(6))))
@t('http')
def _():
    return 'POST /oauth/introspect HTTP/1.1\nHost: auth.example.com\nAuthorization: Bearer %s\nX-Real-IP: %s\nX-Request-Id: %s'%(K('BEARER_TOKEN',tok(40)+'.'+tok(12)),IP(ip4()),N(uuid()))
@t('http')
def _():
    return 'GET /me HTTP/1.1\nHost: api.example.com\nAuthorization: Bearer %s\nUser-Agent: okhttp/4.12.0\nX-Forwarded-For: %s'%(K('JWT',jwt()),IP(ip4()))
@t('http')
def _():
    return 'PUT /v1/customers/%s HTTP/1.1\nContent-Type: application/json\n\n{"email":"%s","phone":"%s","ssn":"%s"}'%(N(uuid()),E(email()),P(R.choice([us(3),us(4),gb(1),de(1)])),S(ssn()))
@t('de')
def _():
    return 'Sehr geehrte Damen und Herren, bitte erreichen Sie mich unter %s oder per E-Mail an %s. Meine Kundennummer lautet %s.'%(P(de()),E(email()),N(str(R.randint(10000000,99999999))))
@t('de')
def _():
    return 'Die Erstattung erfolgt auf das Konto %s innerhalb von 5 Werktagen. Bestellnummer %s vom %s.'%(I(iban(R.choice(['DE','AT','CH']),R.random()<0.6)),N(order()),N('%02d.%02d.2026'%(R.randint(1,28),R.randint(1,12))))
@t('fr')
def _():
    return "Bonjour, vous pouvez me joindre au %s ou écrire à %s. Merci de rembourser sur l'IBAN %s."%(P(fr()),E(email()),I(iban('FR',R.random()<0.6)))
@t('fr')
def _():
    return "Le serveur %s ne répond plus depuis la mise à jour %s ; l'adresse de secours est %s."%(IP(ip4()),N(ver()),IP(ip6()))
@t('es')
def _():
    return 'Hola, mi número es %s y mi correo %s. Por favor, devuelvan el importe a la cuenta %s.'%(P(R.choice([f'+34 6{R.randint(10,99)} {R.randint(100,999)} {R.randint(100,999)}',intl()])),E(email()),I(iban('ES',R.random()<0.6)))
@t('es')
def _():
    return 'El pedido %s se pagó con la tarjeta %s el %s; importe %s.'%(N(order()),C(anycard()),N('%02d/%02d/2026'%(R.randint(1,28),R.randint(1,12))),N(price()))
@t('nl')
def _():
    return 'Beste klantenservice, mijn rekeningnummer is %s en u kunt mij bellen op %s. Groeten, %s'%(I(iban('NL',R.random()<0.5)),P(f'+31 6 {R.randint(1000,5999)} {R.randint(1000,9999)}'),R.choice(FIRST).capitalize())
@t('nl')
def _():
    return 'Let op: het adres %s staat sinds versie %s op de blokkeerlijst (melding %s).'%(IP(ip4()),N(ver()),N(order()))
@t('it')
def _():
    return 'Buongiorno, il mio indirizzo email è %s e il cellulare %s. Vi prego di accreditare su %s.'%(E(email()),P(f'+39 3{R.choice([3,4,9])}{R.randint(0,9)} {R.randint(100,999)} {R.randint(1000,9999)}'),I(iban('IT',R.random()<0.6)))
@t('it')
def _():
    return 'Pagamento rifiutato per la carta %s (ordine %s, %s).'%(C(anycard()),N(order()),N(ts()))
@t('secrets')
def _():
    return 'deploy log: pushing image sha256:%s with key %s and engines key %s'%(N(hexs(64)),K('AWS_ACCESS_KEY',aws()),K('ENGINES_API_KEY','eng_'+b32(16)+'_'+b32(32)))
@t('secrets')
def _():
    return 'ops note: rotated operator token %s; old one revoked at %s'%(K('ENGINES_OPERATOR_TOKEN','eop_'+tok(28)),N(ts()))
@t('secrets')
def _():
    body='\n'.join(b64u(bytes(R.randint(0,255) for _ in range(48))) for _ in range(3))
    return 'found in repo history:\n%s\n(commit %s)'%(K('PRIVATE_KEY','-----BEGIN RSA PRIVATE KEY-----\n'+body+'\n-----END RSA PRIVATE KEY-----'),N(sha()))
@t('secrets')
def _():
    return 'git remote set-url origin https://%s@git.example.com/team/app.git'%K('URL_CREDENTIALS',R.choice(FIRST)+':'+tok(20))
@t('hr')
def _():
    return 'Employee %s %s, SSN %s, start date %s, phone %s'%(R.choice(FIRST).capitalize(),R.choice(LAST).capitalize(),S(ssn()),N('%02d/%02d/2025'%(R.randint(1,12),R.randint(1,28))),P(us()))
@t('hr')
def _():
    return 'W-4 received for taxpayer id %s (social security number), payroll batch %s'%(S(ssn(R.choice(['-',' ']))),N(str(R.randint(100,999))+'-'+str(R.randint(10,99))))
@t('mixed')
def _():
    return 'mailto:%s?subject=Support - or call %s'%(E(email()),P(phone()))
@t('mixed')
def _():
    return 'Contact [%s] for access; VPN gateway %s, fallback %s.'%(E(email()),IP(ip4()),IP(R.choice(['::1','::ffff:'+ip4(),'fe80::'+hexs(4)+':'+hexs(3)+'%eth0'])))
@t('mixed')
def _():
    return 'Amex %s, Visa %s and Diners %s were all declined.'%(C(card('amex','spaced',R.choice([' ','-']))),C(card('visa')),C(card('diners','spaced')))
@t('mixed')
def _():
    return 'Card: %s. JCB backup: %s. Discover: %s.'%(C(card('mc2','spaced','-')),C(card('jcb','spaced')),C(card('disc')))

# negative-only lines
@t('neg_ids')
def _():
    return 'release %s (commit %s) deployed by ci at %s, request %s'%(N(ver()),N(sha()),N(epoch_ms()),N(uuid()))
@t('neg_cards')
def _():
    return 'Rejected card number %s and %s (checksum mismatch).'%(N(card(R.choice(list(CARD_PREFIX)),R.choice(['compact','spaced']),R.choice([' ','-']),bad=True)),N(card('visa',bad=True)))
@t('neg_iban')
def _():
    return 'validation error: %s is not a valid IBAN (check digits), nor is %s'%(N(iban(R.choice(IBC),bad=True)),N(iban(R.choice(IBC),True,bad=True)))
@t('neg_ssn')
def _():
    return 'SSN field rejected values: %s, %s, %s'%(N(bad_ssn()),N(bad_ssn()),N(bad_ssn()))
@t('neg_misc')
def _():
    return 'ISBN %s costs %s; ships from %s, tracking %s'%(N(isbn()),N(price()),N(coord()),N(track()))
@t('neg_misc')
def _():
    return 'SNMP walk %s returned %s; listening on port %s since %s'%(N(oid()),N(str(R.randint(1,99999))),N(port()),N(epoch()))
@t('neg_misc')
def _():
    return 'Versions compared: %s vs %s, schema %s, dotted id %s'%(N(ver()),N('%d.%d.%d'%(R.randint(1,20),R.randint(0,30),R.randint(0,200))),N('%d.%d.%d.%d.%d'%(R.randint(1,9),R.randint(1,9),R.randint(1,9),R.randint(1,9),R.randint(1,9))),N(str(R.randint(1000,9999))+'.'+str(R.randint(10,99))))
@t('neg_misc')
def _():
    return 'Invoice %s dated %s: total %s, VAT id %s, ref %s'%(N(order()),N('%02d.%02d.2026'%(R.randint(1,28),R.randint(1,12))),N(price()),N('DE'+str(R.randint(100000000,999999999))),N(hexs(12)))

EDGE=[]
def e(tag): 
    def deco(f): EDGE.append((tag,f)); return f
    return deco
@e('edge_email')
def _(): return 'Schreiben Sie an %s oder an %s.'%(E('jörg.müller@bücher.example'),E('info@xn--mller-kva.example'))
@e('edge_email')
def _(): return "Reply-To: <%s>; list: '%s'; owner=%s."%(E('no-reply+bounce-8812@lists.mail.example.org'),E('dev-team@groups.example.com'),E('Ops.OnCall@EXAMPLE.COM'))
@e('edge_email')
def _(): return 'Send CVs to (%s) or "%s" — not to hr@localhost or to @example.com or user@host.'%(E('careers@jobs.example.fr'),E('o.brien-smith@example.ie'))
@e('edge_email')
def _(): return 'href="mailto:%s">write us</a> <a href="mailto:%s?cc=%s">'%(E('hola@tienda.example.es'),E('sales@example.de'),E('lead@example.de'))
@e('edge_email')
def _(): return 'Package @angular/core@%s and user@%s are not e-mails; %s is.'%(N('17.3.1'),N('2001'),E('first.last@sub.dept.example.co.uk'))
@e('edge_phone')
def _(): return 'Office: %s, fax %s'%(P('+1 312 626 4400 ext. 218'),P('+1 (312) 626-4401'))
@e('edge_phone')
def _(): return 'Reception %s — after hours %s'%(P('(617) 253-1000 x1205'),P('617.253.1212'))
@e('edge_phone')
def _(): return 'Ruf an: %s oder mobil %s.'%(P('+49 (0)30 2093 2722'),P('0176 2348 5510'))
@e('edge_phone')
def _(): return 'Numéro : %s, portable : %s.'%(P('01 44 27 12 34'),P('+33 6 45 67 89 01'))
@e('edge_phone')
def _(): return 'UK desk %s, mobile %s, E.164 %s'%(P('020 7219 4272'),P('07700 900461'),P('+447911123456'))
@e('edge_phone')
def _(): return 'E.164 list: %s, %s, %s'%(P('+14155552671'),P('+4930901820'),P('+919876543210'))
@e('edge_phone')
def _(): return 'International dialling from Europe: %s; from the US: %s.'%(P('0044 20 7946 0958'),P('011 44 20 7946 0958'))
@e('edge_ip')
def _(): return 'Loopback %s and %s; mapped %s; link-local %s.'%(IP('127.0.0.1'),IP('::1'),IP('::ffff:192.0.2.128'),IP('fe80::1ff:fe23:4567:890a%eth0'))
@e('edge_ip')
def _(): return 'listen %s:%s and [%s]:%s'%(IP('0.0.0.0'),'8080',IP('2001:db8:85a3::8a2e:370:7334'),'443')
@e('edge_ip')
def _(): return 'Allowed ranges: %s, %s, %s.'%(IP('10.0.0.0/8'),IP('192.168.0.0/16'),IP('2001:db8::/32'))
@e('edge_ip')
def _(): return 'Full form %s equals %s.'%(IP('2001:0db8:0000:0000:0000:ff00:0042:8329'),IP('2001:db8::ff00:42:8329'))
@e('edge_ip')
def _(): return 'OID %s and SNMP sysObjectID %s and dotted %s are not addresses.'%(N('1.3.6.1.4.1.9.1.1745'),N('1.3.6.1.2.1.1.2'),N('1.2.3.4.5'))
@e('edge_ip')
def _(): return 'Times 12:34:56 and %s, MAC %s, ratio 16:9, C++ std::vector, version %s.'%(N('23:59:59.999'),N('00:1A:2B:3C:4D:5E'),N('10.4.2'))
@e('edge_ssn')
def _(): return 'SSN on the form: %s. Second applicant: %s.'%(S('536 22 8741'),S('219-09-9999'))
@e('edge_ssn')
def _(): return 'phone-like 123-45-678, zip+4 %s, part no. %s'%(N('94105-1804'),N('452-88-19'))
@e('edge_card')
def _(): return 'Test PAN %s and %s; spaced Amex %s.'%(C(card('visa','spaced',' ')),C(card('mc','spaced','-')),C(card('amex','spaced',' ')))
@e('edge_card')
def _(): return 'Card (%s) was tokenized; 19-digit %s; digits glued %s are not a card.'%(C(card('visa','compact')),C(luhn_complete('4'+str(R.randint(100,999)),19)),N('ID'+luhn_complete('4532',16)+'X'))
@e('edge_iban')
def _(): return 'IBANs: %s, %s; %s.'%(I(iban('GB',True)),I(iban('BE')),I(iban('CH',True)))
@e('edge_iban')
def _(): return 'Konto (%s) und %s sowie %s.'%(I(iban('AT',True)),I(iban('PL',True)),I(iban('NO')))
@e('edge_iban')
def _(): return 'lowercase-looking codes like %s or the word DE12 are not IBANs.'%N('de'+iban('DE')[2:].lower())
T2=[]
def r(tag):
    def deco(f): T2.append((tag,f)); return f
    return deco
def ean():
    b=R.choice(['40','41','42','43','44','50','76','80','87'])+''.join(R.choice('0123456789') for _ in range(10))
    s=sum(int(c)*(1 if i%2==0 else 3) for i,c in enumerate(b)); return b+str((10-s%10)%10)
@r('syslog')
def _(): return '<%d>%s web01 sshd[%d]: Accepted publickey for deploy from %s port %d ssh2: RSA SHA256:%s'%(R.randint(10,190),'Mar %2d %02d:%02d:%02d'%(R.randint(1,28),R.randint(0,23),R.randint(0,59),R.randint(0,59)),R.randint(1000,65000),IP(ip4()),R.randint(30000,65000),N(b64u(bytes(R.randint(0,255) for _ in range(32)))))
@r('syslog')
def _(): return 'kernel: [UFW BLOCK] IN=eth0 OUT= SRC=%s DST=%s LEN=%d TTL=%d ID=%d PROTO=TCP SPT=%d DPT=%s'%(IP(ip4()),IP(ip4()),R.randint(40,1500),R.randint(30,128),R.randint(1000,65000),R.randint(1024,65000),port())
@r('apache')
def _(): return '%s - %s [%02d/Jun/2026:%02d:%02d:%02d -0700] "GET /download?id=%s HTTP/1.1" 206 %d'%(IP(ip6() if R.random()<0.4 else ip4()),E(email()),R.randint(1,28),R.randint(0,23),R.randint(0,59),R.randint(0,59),N(uuid()),R.randint(1000,9999999))
@r('k8s')
def _(): return 'Warning  BackOff  pod/api-%s  Back-off restarting failed container (image registry.example.com/api:%s, node ip %s)'%(N(hexs(10)),N(ver()[1:]),IP(ip4()))
@r('sql')
def _(): return "INSERT INTO customers (id, name, email, phone, ssn, created_at) VALUES (%d, '%s %s', '%s', '%s', '%s', '%s');"%(R.randint(1,999999),R.choice(FIRST).capitalize(),R.choice(LAST).capitalize(),E(email()),P(us(R.choice([0,1,2]))),S(ssn()),N('2026-%02d-%02d %02d:%02d:%02d'%(R.randint(1,12),R.randint(1,28),R.randint(0,23),R.randint(0,59),R.randint(0,59))))
@r('sql')
def _(): return "UPDATE payouts SET iban = '%s', status = 'pending' WHERE payout_id = %s AND amount_cents = %d;"%(I(iban(R.choice(IBC))),N(str(R.randint(10**9,10**10-1))),R.randint(100,999999))
@r('yaml')
def _(): return 'billing:\n  contact_email: %s\n  contact_phone: "%s"\n  sepa_iban: %s\n  invoice_prefix: INV\n  next_number: %d'%(E(email()),P(phone()),I(iban(R.choice(IBC),R.random()<0.5)),R.randint(1000,99999))
@r('markdown')
def _(): return '| Name | E-mail | Phone |\n|---|---|---|\n| %s | %s | %s |\n| %s | %s | %s |'%(R.choice(FIRST).capitalize(),E(email()),P(phone()),R.choice(FIRST).capitalize(),E(email()),P(phone()))
@r('retail')
def _(): return 'Artikel EAN %s, Menge %d, Preis %s, Lieferschein %s, Kundentelefon %s'%(N(ean()),R.randint(1,40),N(price()),N(str(R.randint(10**9,10**10-1))),P(de(R.choice([0,3]))))
@r('retail')
def _(): return 'Order #%d shipped via DHL %s to %s (phone on label: %s); paid with %s'%(R.randint(10**6,10**7),N('JJD'+str(R.randint(10**17,10**18-1))),E(email()),P(phone()),C(anycard()))
@r('payments')
def _(): return 'stripe: charge ch_%s succeeded card=%s last4=%s brand=%s amount=%d'%(N(tok(24)),C(card(R.choice(['visa','mc','mc2','amex','disc','jcb']))),str(R.randint(1000,9999)),R.choice(['visa','mastercard','amex']),R.randint(100,100000))
@r('payments')
def _(): return 'SEPA mandate %s signed by %s, debtor IBAN %s, creditor id %s'%(N('MNDT-'+str(R.randint(10**5,10**6))),E(email()),I(iban(R.choice(['DE','FR','NL','BE','AT','IT','ES']),True)),N('DE98ZZZ09999999999'))
@r('chat2')
def _(): return 'carlos: mándame un whatsapp al %s o escríbeme a %s, gracias!!'%(P(R.choice([f'+34 6{R.randint(10,99)} {R.randint(100,999)} {R.randint(100,999)}',f'+52 55 {R.randint(1000,9999)} {R.randint(1000,9999)}'])),E(email()))
@r('chat2')
def _(): return "giulia: ciao! il mio IBAN è %s, il telefono %s. Ordine n. %s"%(I(iban('IT',R.random()<0.5)),P(f'+39 3{R.choice([3,4,9])}{R.randint(0,9)} {R.randint(100,999)} {R.randint(1000,9999)}'),N(str(R.randint(100000,999999))))
@r('chat2')
def _(): return "pieter: mijn nieuwe nummer is %s en mail %s — pakket %s komt morgen"%(P(f'+31 6 {R.randint(10000000,59999999)}'),E(email()),N(track()))
@r('fr2')
def _(): return "Madame, Monsieur, je vous prie de bien vouloir prélever sur le compte %s. Pour toute question : %s, poste 2214, ou %s."%(I(iban(R.choice(['FR','BE','LU','CH']),True)),P(fr()),E(email()))
@r('de2')
def _(): return "Ihre Rückrufnummer %s wurde am %s um %s gespeichert. Vorgangsnummer %s."%(P(de()),N('%02d.%02d.2026'%(R.randint(1,28),R.randint(1,12))),N('%02d:%02d Uhr'%(R.randint(0,23),R.randint(0,59))),N('VG-%d'%R.randint(10**6,10**7)))
@r('us_hr')
def _(): return 'Applicant: %s %s | SSN: %s | Tel: %s | Email: %s | Emp #%s'%(R.choice(FIRST).capitalize(),R.choice(LAST).capitalize(),S(ssn()),P(us()),E(email()),N(str(R.randint(10000,99999))))
@r('us_hr')
def _(): return 'Form I-9 section 2: SSN %s verified; alien no. %s; receipt %s'%(S(ssn(R.choice(['-',' ']))),N('A'+str(R.randint(10**8,10**9-1))),N('IOE'+str(R.randint(10**9,10**10-1))))
@r('net')
def _(): return 'BGP neighbor %s remote-as %d; loopback %s; v6 peer %s'%(IP(ip4()),R.randint(64512,65534),IP(ip4()+'/32'),IP(ip6()))
@r('net')
def _(): return 'dig +short example.com AAAA -> %s ; A -> %s ; TTL %d'%(IP(ip6()),IP(ip4()),R.randint(60,86400))
@r('net')
def _(): return 'ping %s: icmp_seq=%d ttl=%d time=%s ms'%(IP(ip4()),R.randint(1,9),R.randint(40,64),N('%d.%03d'%(R.randint(0,300),R.randint(0,999))))
@r('secrets2')
def _(): return 'curl -H "Authorization: Bearer %s" https://api.example.com/v1/users?email=%s'%(K('JWT',jwt()),E(email()))
@r('secrets2')
def _(): return 'export AWS_ACCESS_KEY_ID=%s\nexport AWS_DEFAULT_REGION=eu-central-1\nexport DB_URL=postgres://%s@db.internal:5432/app'%(K('AWS_ACCESS_KEY',aws()),K('URL_CREDENTIALS','app:'+tok(18)))
@r('neg2')
def _(): return 'Build %s finished in %s s; artifact sha1 %s; job %s at %s'%(N(str(R.randint(1000,99999))),N('%d.%02d'%(R.randint(10,999),R.randint(0,99))),N(sha()),N(uuid()),N(ts()))
@r('neg2')
def _(): return 'Coordinates %s; elevation %s m; sensor id %s; reading %s'%(N(coord()),N(str(R.randint(100,4000))),N(hexs(16)),N('%d.%04d'%(R.randint(0,99),R.randint(0,9999))))
@r('neg2')
def _(): return 'Bank statement line: BIC %s, amount %s, booking date %s, value date %s, reference %s'%(N(R.choice(['COBADEFFXXX','BNPAFRPPXXX','INGBNL2A','DEUTDEDBFRA'])),N(price()),N('%02d/%02d/2026'%(R.randint(1,28),R.randint(1,12))),N('2026-%02d-%02d'%(R.randint(1,12),R.randint(1,28))),N(str(R.randint(10**11,10**12-1))))
@r('neg2')
def _(): return 'Rejected: IBAN %s (wrong check digits), card %s (Luhn), SSN %s (invalid area)'%(N(iban(R.choice(IBC),R.random()<0.5,bad=True)),N(card(R.choice(list(CARD_PREFIX)),'spaced',R.choice([' ','-']),bad=True)),N(bad_ssn()))
@r('neg2')
def _(): return 'epoch %s, epoch_ms %s, nanos %s, unix %s'%(N(epoch()),N(epoch_ms()),N(str(R.randint(10**18,2*10**18))),N(epoch()))
T3=[]
def r(tag):
    def deco(f): T3.append((tag,f)); return f
    return deco
@r('ua')
def _(): return '%s "GET / HTTP/1.1" 200 %d "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/%s Safari/537.36"'%(IP(ip4()),R.randint(100,99999),N('%d.0.%d.%d'%(R.randint(100,130),R.randint(5000,7000),R.randint(10,300))))
@r('dotnet')
def _(): return '[assembly: AssemblyFileVersion("%s")] built on %s by %s'%(N('%d.%d.%d.%d'%(R.randint(1,9),R.randint(0,9),R.randint(1000,30000),R.randint(0,99999))),N(ts()),E(email()))
@r('il')
def _(): return 'שלום, המספר שלי %s ובעבודה %s'%(P(R.choice(['050-%d-%04d'%(R.randint(200,999),R.randint(0,9999)),'052-%d-%04d'%(R.randint(200,999),R.randint(0,9999))])),P('03-%d-%04d'%(R.randint(500,699),R.randint(0,9999))))
@r('gb2')
def _(): return 'Please ring the surgery on %s or our out-of-hours line %s.'%(P('+44 (0)20 7%d %04d'%(R.randint(100,999),R.randint(0,9999))),P('0161 %d %04d'%(R.randint(200,999),R.randint(0,9999))))
@r('de3')
def _(): return 'Zentrale: %s, Durchwahl -%d, Fax %s'%(P('(030) %d'%R.randint(2000000,9999999)),R.randint(10,99),P('+49 30 %d-%d'%(R.randint(2000,9999),R.randint(100,999))))
@r('dur')
def _(): return 'step finished in %s (avg %s), color %s, ratio %s, progress %s'%(N('00:%02d:%02d.%03d'%(R.randint(0,59),R.randint(0,59),R.randint(0,999))),N('%d ms'%R.randint(1,9999)),N('#%s'%hexs(6)),N('%d:%d'%(R.randint(1,21),R.randint(1,9))),N('%d%%'%R.randint(1,100)))
@r('git')
def _(): return 'git describe: %s; image %s; tag %s'%(N('v%d.%d.%d-%d-g%s'%(R.randint(0,5),R.randint(0,20),R.randint(0,30),R.randint(1,200),hexs(7))),N('sha256:'+hexs(64)),N('%d.%d.%d-rc.%d'%(R.randint(0,5),R.randint(0,20),R.randint(0,30),R.randint(1,9))))
@r('cookie')
def _(): return 'Cookie: session=%s; theme=dark; uid=%s'%(K('JWT',jwt()),N(str(R.randint(10**6,10**7))))
@r('cardjson')
def _(): return '{"pan":"%s","exp_month":%d,"exp_year":%d,"holder_email":"%s","billing_ip":"%s"}'%(C(card(R.choice(['visa','mc','mc2','amex','disc','jcb','diners']),'spaced','-')),R.randint(1,12),R.randint(2027,2032),E(email()),IP(ip4()))
@r('ids16')
def _(): return 'Shipment %s, customer no. %s, terminal %s'%(N(luhn_bad(str(R.randint(1,9)),16)),N(str(R.randint(10**7,10**8))),N(str(R.randint(10**5,10**6))))
@r('v6')
def _(): return 'ssh -6 admin@%s -p 2222; resolver %s; peer [%s]:51820'%(IP('2001:db8:%x::%x'%(R.randint(1,0xffff),R.randint(1,0xffff))),IP('2606:4700:4700::1111'),IP(ip6()))
@r('ssnprose')
def _(): return 'Her social security number, %s, appears on the 1099 and on the W-2 for %s.'%(S(ssn(' ')),N('2025'))
@r('mixedlang')
def _(): return 'Sr. %s — tel. %s — correo %s — cuenta %s — pedido %s'%(R.choice(LAST).capitalize(),P(R.choice([f'+34 9{R.randint(10,99)} {R.randint(100,999)} {R.randint(100,999)}',f'+34 6{R.randint(10,99)} {R.randint(100,999)} {R.randint(100,999)}'])),E(email()),I(iban('ES',True)),N(order()))
@r('email_idn')
def _(): return 'Kontakt: %s, %s'%(E(R.choice(['søren.ærø','zoë.brontë','josé.núñez','françois.düring'])+'@'+R.choice(['example.dk','example.fr','example.es','exämple.de'])),E(email()))
@r('intl00')
def _(): return 'Aus Deutschland wählen Sie %s, aus der Schweiz %s.'%(P('0044 20 7%d %04d'%(R.randint(100,999),R.randint(0,9999))),P('+41 44 %d %02d %02d'%(R.randint(200,999),R.randint(0,99),R.randint(0,99))))

# --- rendering: ⟦TYPE|value⟧ marks a labelled span, ⟪value⟫ a negative; offsets are computed here.
MARK=re.compile(r'⟦([A-Z_]+)\|(.*?)⟧|⟪(.*?)⟫', re.S)
def render(markup):
    out=''; spans=[]; negs=[]; pos=0
    for m in MARK.finditer(markup):
        out+=markup[pos:m.start()]
        s=len(out)
        if m.group(1):
            v=m.group(2); out+=v; spans.append({'start':s,'end':len(out),'type':m.group(1),'value':v})
        else:
            v=m.group(3); out+=v; negs.append({'start':s,'end':len(out),'value':v})
        pos=m.end()
    out+=markup[pos:]
    assert '⟦' not in out and '⟪' not in out
    for sp in spans+negs: assert out[sp['start']:sp['end']]==sp['value']
    return out, spans, negs

def main(path):
    seen=set()
    def run(templates, reps, seed=None):
        if seed is not None: R.seed(seed)
        rows=[]
        for rep in range(reps):
            for tag,f in templates:
                text,spans,negs=render(f())
                if text in seen: continue
                seen.add(text); rows.append((tag,text,spans,negs))
        return rows
    batches=[
        ('u', run(T, 5) + run(EDGE, 2)),  # batch 1: the engine was fixed against it
        ('v', run(T2, 4, 777)),           # batch 2: written before its results were seen, then fixed against
        ('w', run(T3, 5, 31337)),         # batch 3: held out the same way
    ]
    with open(path,'w',encoding='utf-8') as fh:
        for prefix, rows in batches:
            for i,(tag,text,spans,negs) in enumerate(rows):
                fh.write(json.dumps({'id':'%s-%d'%(prefix,i),'template':tag,'text':text,'spans':spans,'negatives':negs},ensure_ascii=False)+'\n')

if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else 'unseen.jsonl')

"""The demo world: belts, categories, suppliers, listings and demo accounts for `seed_demo`.

Plain data only; `orders/management/commands/seed_demo.py` writes it through the services.
Company names, USCCs and figures are invented but shaped like the real thing: each USCC
carries its city's administrative division code and valid check characters (GB 32100-2015),
and prices follow the trade's usual units and quantity breaks.

A supplier with a `certification` level is certified by `supplier_certify`; one without it
keeps its `status` (draft or under verification) so the onboarding funnel has depth.
Tiers are (from quantity, unit price); `sample_price` None means no sample is offered.
"""

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105  (a published demo password, by design)

# The first supplier of the first belt gets the supplier demo login; it must be certified.
DEMO_ACCOUNTS = [
    {
        "email": "admin@demo.test",
        "role": "staff",
        "full_name": "Platform Admin",
        "sees": "Django admin (/admin/): certification queue, every supplier and listing",
    },
    {
        "email": "buyer@demo.test",
        "role": "buyer",
        "full_name": "Sanne de Vries",
        "sees": "Buyer of Rotterdam Industrial Supply B.V.: belts, listings, inquiries, RFQs, orders",
    },
    {
        "email": "supplier@demo.test",
        "role": "supplier",
        "full_name": "Zhang Wei",
        "sees": "Dashboard of Wuhan Guanggu Photonics Co., Ltd.: its listings, inquiries, orders",
    },
    {
        "email": "operator@demo.test",
        "role": "operator",
        "full_name": "Li Na",
        "sees": "Operator of the Wuhan laser belt: onboarding funnel and trade",
    },
]

BUYER_COMPANY = {"name": "Rotterdam Industrial Supply B.V.", "country": "NL", "business_type": "importer"}

OPERATOR = {
    "belt": "wuhan-laser",
    "organisation": "Hubei Laser Industry Association / 湖北省激光行业协会",
}

CERTIFICATION_REASON = "Demo world"
CERTIFICATION_VALID_DAYS = 365

# Two levels: industry › product line. Images use the top level's two gradient colours.
CATEGORIES = [
    {
        "slug": "laser-equipment",
        "name_en": "Laser equipment",
        "name_zh": "激光设备",
        "colours": ("#0b2a4a", "#1f8fd1"),
        "children": [
            {"slug": "laser-cutting-machines", "name_en": "Laser cutting machines", "name_zh": "激光切割机"},
            {"slug": "laser-marking-machines", "name_en": "Laser marking machines", "name_zh": "激光打标机"},
            {
                "slug": "laser-welding-cleaning",
                "name_en": "Laser welding and cleaning machines",
                "name_zh": "激光焊接与清洗设备",
            },
            {"slug": "laser-sources", "name_en": "Laser sources", "name_zh": "激光器"},
            {"slug": "laser-optics-parts", "name_en": "Laser optics and parts", "name_zh": "激光光学元件与配件"},
        ],
    },
    {
        "slug": "textiles",
        "name_en": "Textiles and fabrics",
        "name_zh": "纺织面料",
        "colours": ("#3b1f5c", "#c2569b"),
        "children": [
            {"slug": "woven-fabrics", "name_en": "Woven fabrics", "name_zh": "梭织面料"},
            {"slug": "knitted-fabrics", "name_en": "Knitted fabrics", "name_zh": "针织面料"},
            {"slug": "functional-fabrics", "name_en": "Functional and outdoor fabrics", "name_zh": "功能性户外面料"},
            {"slug": "yarn", "name_en": "Yarn", "name_zh": "纱线"},
            {"slug": "garment-accessories", "name_en": "Garment accessories and trims", "name_zh": "服装辅料"},
        ],
    },
    {
        "slug": "menswear",
        "name_en": "Men's clothing",
        "name_zh": "男装",
        "colours": ("#1c1c1c", "#5a6b7d"),
        "children": [
            {"slug": "mens-suits", "name_en": "Suits and blazers", "name_zh": "西服套装"},
            {"slug": "mens-shirts", "name_en": "Shirts", "name_zh": "衬衫"},
            {"slug": "mens-trousers", "name_en": "Trousers", "name_zh": "裤装"},
            {"slug": "mens-outerwear", "name_en": "Coats and jackets", "name_zh": "外套与夹克"},
        ],
    },
    {
        "slug": "childrenswear",
        "name_en": "Children's clothing",
        "name_zh": "童装",
        "colours": ("#e2566f", "#f7b267"),
        "children": [
            {"slug": "girls-dresses", "name_en": "Girls' dresses", "name_zh": "女童连衣裙"},
            {"slug": "kids-sets", "name_en": "Kids' sets", "name_zh": "儿童套装"},
            {"slug": "baby-clothing", "name_en": "Baby clothing", "name_zh": "婴儿服装"},
            {"slug": "kids-outerwear", "name_en": "Kids' coats and down jackets", "name_zh": "儿童外套与羽绒服"},
        ],
    },
    {
        "slug": "dried-fruit-nuts",
        "name_en": "Dried fruit and nuts",
        "name_zh": "干果坚果",
        "colours": ("#6b3410", "#e0a243"),
        "children": [
            {"slug": "raisins", "name_en": "Raisins", "name_zh": "葡萄干"},
            {"slug": "jujubes", "name_en": "Red dates (jujubes)", "name_zh": "红枣"},
            {"slug": "walnuts", "name_en": "Walnuts", "name_zh": "核桃"},
            {"slug": "almonds-nuts", "name_en": "Almonds and other nuts", "name_zh": "巴旦木及其他坚果"},
            {"slug": "dried-apricots-figs", "name_en": "Dried apricots and figs", "name_zh": "杏干与无花果干"},
            {"slug": "mixed-dried-fruit", "name_en": "Mixed dried fruit and gift boxes", "name_zh": "什锦干果与礼盒"},
        ],
    },
    {
        "slug": "farm-produce",
        "name_en": "Farm produce",
        "name_zh": "农产品",
        "colours": ("#1e4d2b", "#8cc63f"),
        "children": [
            {"slug": "potatoes", "name_en": "Potatoes and potato products", "name_zh": "马铃薯及制品"},
            {"slug": "apples", "name_en": "Apples and apple products", "name_zh": "苹果及制品"},
            {"slug": "melons-fresh-fruit", "name_en": "Melons and fresh fruit", "name_zh": "瓜类与鲜果"},
            {"slug": "rice-grains", "name_en": "Rice and grains", "name_zh": "大米杂粮"},
            {"slug": "lily-bulbs", "name_en": "Lily bulbs", "name_zh": "百合"},
            {"slug": "medicinal-herbs", "name_en": "Chinese medicinal herbs", "name_zh": "中药材"},
        ],
    },
    {
        "slug": "goji",
        "name_en": "Goji and wolfberry products",
        "name_zh": "枸杞及制品",
        "colours": ("#7a0f1c", "#f05a28"),
        "children": [
            {"slug": "dried-goji", "name_en": "Dried goji berries", "name_zh": "枸杞干果"},
            {"slug": "black-goji", "name_en": "Black goji", "name_zh": "黑枸杞"},
            {"slug": "goji-juice", "name_en": "Goji juice and drinks", "name_zh": "枸杞原浆与饮品"},
            {"slug": "goji-extracts", "name_en": "Goji powder, extracts and oil", "name_zh": "枸杞粉、提取物与籽油"},
        ],
    },
]

BELTS = [
    # ------------------------------------------------------------------ Wuhan laser (Hubei)
    {
        "slug": "wuhan-laser",
        "name_en": "Wuhan Optics Valley laser belt",
        "name_zh": "武汉光谷激光产业带",
        "brand_en": "Hubei laser",
        "brand_zh": "湖北激光",
        "province": "CN-HB",
        "city_en": "Wuhan (Optics Valley)",
        "city_zh": "武汉（光谷）",
        "industry_en": "Laser equipment and photonics",
        "industry_zh": "激光装备与光电子",
        "story_en": (
            "Optics Valley in Wuhan's East Lake High-tech Zone grew out of the city's optical-fibre "
            "research into China's densest cluster of laser makers, from fibre-laser sources to "
            "cutting, marking and welding machines. The Hubei Laser Industry Association brings more "
            "than 300 Hubei laser companies into this one belt, so buyers deal with the factory that "
            "builds the machine."
        ),
        "story_zh": (
            "武汉东湖高新区的光谷从光纤通信研究起步，如今聚集了从光纤激光器到切割、打标、焊接设备的完整激光产业链。"
            "湖北省激光行业协会将300多家湖北激光企业整体打包入驻本产业带，买家可以直接对接造设备的工厂。"
        ),
        "suppliers": [
            {
                "slug": "wuhan-guanggu-photonics",
                "name_en": "Wuhan Guanggu Photonics Co., Ltd.",
                "name_zh": "武汉光谷光电科技有限公司",
                "uscc": "91420100MA109Y0356",
                "business_type": "manufacturer",
                "certification": "audited_factory",
                "city_en": "Wuhan",
                "city_zh": "武汉",
                "year_founded": 2009,
                "staff_count": 420,
                "factory_area_m2": 36000,
                "description_en": (
                    "Builds fibre laser cutting, welding and cleaning machines in its own 36,000 m² plant "
                    "in Optics Valley, with sheet-metal frames welded and stress-relieved on site. Exports "
                    "to more than 60 countries with English-speaking after-sales engineers."
                ),
                "description_zh": (
                    "在光谷自有36000平方米厂房生产光纤激光切割、焊接和清洗设备，床身自行焊接并退火去应力。"
                    "产品出口60多个国家，配有英语售后工程师。"
                ),
                "listings": [
                    {
                        "sku": "GG-FC3015-3K",
                        "category": "laser-cutting-machines",
                        "title_en": "3 kW fibre laser cutting machine, 3015 open bed",
                        "title_zh": "3kW光纤激光切割机 3015开放式床身",
                        "description_en": (
                            "3000 × 1500 mm working area, 3 kW fibre source, auto-focus cutting head and "
                            "CypCut control. Cuts up to 20 mm mild steel and 10 mm stainless."
                        ),
                        "description_zh": (
                            "加工幅面3000×1500毫米，3kW光纤激光器，自动调焦切割头，柏楚控制系统。可切20毫米碳钢、"
                            "10毫米不锈钢。"
                        ),
                        "unit": "set",
                        "currency": "CNY",
                        "moq": 1,
                        "tiers": [(1, "98000.00"), (3, "93000.00"), (10, "88000.00")],
                        "lead_time_days": 20,
                        "monthly_capacity": 60,
                        "sample_price": None,
                    },
                    {
                        "sku": "GG-FC4020-6K-EX",
                        "category": "laser-cutting-machines",
                        "title_en": "6 kW enclosed fibre laser cutter with exchange table, 4020",
                        "title_zh": "6kW全包围交换台光纤激光切割机 4020",
                        "description_en": (
                            "Fully enclosed cabin with laser-safe window, 4000 × 2000 mm exchange table and "
                            "dust extraction. FOB Wuhan or CIF your port, installation by video or on site."
                        ),
                        "description_zh": (
                            "全包围防护罩与激光防护窗，4000×2000毫米交换工作台，配除尘系统。可武汉FOB或到港CIF，"
                            "视频或上门安装。"
                        ),
                        "unit": "set",
                        "currency": "USD",
                        "moq": 1,
                        "tiers": [(1, "38500.00"), (3, "36800.00"), (5, "34900.00")],
                        "lead_time_days": 30,
                        "monthly_capacity": 25,
                        "sample_price": None,
                    },
                    {
                        "sku": "GG-TC6020-3K",
                        "category": "laser-cutting-machines",
                        "title_en": "3 kW tube laser cutting machine, 6 m tubes, 20–220 mm",
                        "title_zh": "3kW激光切管机 6米管长 管径20–220毫米",
                        "description_en": (
                            "Pneumatic front and rear chucks for round, square and rectangular tube up to 6 m; "
                            "semi-automatic loading rack included."
                        ),
                        "description_zh": "前后气动卡盘，可切6米以内圆管、方管和矩形管，标配半自动上料架。",
                        "unit": "set",
                        "currency": "CNY",
                        "moq": 1,
                        "tiers": [(1, "168000.00"), (3, "158000.00")],
                        "lead_time_days": 35,
                        "monthly_capacity": 15,
                        "sample_price": None,
                    },
                    {
                        "sku": "GG-HW1500",
                        "category": "laser-welding-cleaning",
                        "title_en": "1500 W handheld fibre laser welder, 3-in-1 weld, cut and clean",
                        "title_zh": "1500W手持光纤激光焊接机 焊割清三合一",
                        "description_en": (
                            "Air-cooled handheld welder with wire feeder for 0.5–4 mm stainless, carbon steel "
                            "and aluminium. Swap the nozzle to cut or clean rust."
                        ),
                        "description_zh": (
                            "风冷手持焊接机，配送丝机，可焊0.5–4毫米不锈钢、碳钢和铝。更换喷嘴即可切割或除锈。"
                        ),
                        "unit": "set",
                        "currency": "CNY",
                        "moq": 1,
                        "tiers": [(1, "23800.00"), (5, "21500.00"), (20, "19800.00")],
                        "lead_time_days": 7,
                        "monthly_capacity": 300,
                        "sample_price": None,
                    },
                    {
                        "sku": "GG-LC200P",
                        "category": "laser-welding-cleaning",
                        "title_en": "200 W pulsed laser cleaning machine for rust and paint",
                        "title_zh": "200W脉冲激光清洗机 除锈除漆",
                        "description_en": (
                            "Pulsed source that strips rust, paint and oxide without harming the base metal; "
                            "for moulds, ship parts and heritage restoration."
                        ),
                        "description_zh": (
                            "脉冲激光去除锈迹、油漆和氧化层而不损伤基材，适用于模具、船舶零件和文物修复。"
                        ),
                        "unit": "set",
                        "currency": "CNY",
                        "moq": 1,
                        "tiers": [(1, "46000.00"), (5, "42000.00")],
                        "lead_time_days": 10,
                        "monthly_capacity": 80,
                        "sample_price": None,
                    },
                ],
            },
            {
                "slug": "wuhan-ruiguang-laser",
                "name_en": "Wuhan Ruiguang Laser Technology Co., Ltd.",
                "name_zh": "武汉锐光激光技术有限公司",
                "uscc": "91420100MAWYY1CN90",
                "business_type": "manufacturer",
                "certification": "certified_origin",
                "city_en": "Wuhan",
                "city_zh": "武汉",
                "year_founded": 2013,
                "staff_count": 260,
                "factory_area_m2": 18000,
                "description_en": (
                    "Makes continuous-wave and pulsed fibre laser sources, from 20 W marking sources to "
                    "6 kW cutting sources, with its own fibre-splicing and burn-in lines."
                ),
                "description_zh": (
                    "生产连续和脉冲光纤激光器，功率从20W打标光源到6kW切割光源，拥有自己的熔接和老化产线。"
                ),
                "listings": [
                    {
                        "sku": "RG-CW1500",
                        "category": "laser-sources",
                        "title_en": "1.5 kW continuous-wave fibre laser source",
                        "title_zh": "1.5kW连续光纤激光器",
                        "description_en": (
                            "1080 nm CW source with QBH output, 20 m armoured cable; 48-hour burn-in before shipping."
                        ),
                        "description_zh": "1080纳米连续激光器，QBH输出接头，20米铠装光缆；出厂前老化48小时。",
                        "unit": "unit",
                        "currency": "CNY",
                        "moq": 1,
                        "tiers": [(1, "19800.00"), (5, "18200.00"), (20, "16900.00")],
                        "lead_time_days": 10,
                        "monthly_capacity": 400,
                        "sample_price": None,
                    },
                    {
                        "sku": "RG-CW3000",
                        "category": "laser-sources",
                        "title_en": "3 kW continuous-wave fibre laser source",
                        "title_zh": "3kW连续光纤激光器",
                        "description_en": (
                            "Single-module 3 kW source for sheet cutting, water-cooled, RS-232 and Ethernet control."
                        ),
                        "description_zh": "单模块3kW激光器，适用于板材切割，水冷，支持RS-232和以太网控制。",
                        "unit": "unit",
                        "currency": "CNY",
                        "moq": 1,
                        "tiers": [(1, "36000.00"), (5, "33500.00"), (20, "31000.00")],
                        "lead_time_days": 15,
                        "monthly_capacity": 200,
                        "sample_price": None,
                    },
                    {
                        "sku": "RG-QP20",
                        "category": "laser-sources",
                        "title_en": "20 W Q-switched pulsed fibre laser source for marking",
                        "title_zh": "20W调Q脉冲光纤激光器（打标用）",
                        "description_en": "Compact 20 W source for marking machines; 1 mJ pulse energy, air-cooled.",
                        "description_zh": "紧凑型20W打标光源，单脉冲能量1毫焦，风冷。",
                        "unit": "unit",
                        "currency": "CNY",
                        "moq": 1,
                        "tiers": [(1, "2650.00"), (10, "2380.00"), (50, "2150.00")],
                        "lead_time_days": 5,
                        "monthly_capacity": 3000,
                        "sample_price": "2650.00",
                    },
                    {
                        "sku": "RG-MOPA60",
                        "category": "laser-sources",
                        "title_en": "60 W MOPA pulsed fibre laser source, adjustable pulse width",
                        "title_zh": "60W MOPA脉冲光纤激光器 脉宽可调",
                        "description_en": (
                            "Pulse width 2–500 ns for colour marking on stainless steel and clean marking on anodised "
                            "aluminium."
                        ),
                        "description_zh": "脉宽2–500纳米可调，可在不锈钢上打彩色标记，在阳极氧化铝上打出干净的标记。",
                        "unit": "unit",
                        "currency": "USD",
                        "moq": 1,
                        "tiers": [(1, "1480.00"), (10, "1350.00"), (50, "1240.00")],
                        "lead_time_days": 7,
                        "monthly_capacity": 1200,
                        "sample_price": "1480.00",
                    },
                    {
                        "sku": "RG-PW30x5",
                        "category": "laser-optics-parts",
                        "title_en": "Protective window 30 × 5 mm, fused silica, AR coated",
                        "title_zh": "激光切割头保护镜片 30×5毫米 熔融石英镀增透膜",
                        "description_en": "Replacement protective lens for common fibre cutting heads, rated to 6 kW.",
                        "description_zh": "适配常见光纤切割头的替换保护镜，可承受6kW功率。",
                        "unit": "piece",
                        "currency": "CNY",
                        "moq": 50,
                        "tiers": [(50, "18.00"), (200, "15.00"), (1000, "12.00")],
                        "lead_time_days": 3,
                        "monthly_capacity": 50000,
                        "sample_price": "20.00",
                    },
                ],
            },
            {
                "slug": "hubei-huaxin-laser-marking",
                "name_en": "Hubei Huaxin Laser Marking Equipment Co., Ltd.",
                "name_zh": "湖北华鑫激光打标设备有限公司",
                "uscc": "91420100MAW05WG36X",
                "business_type": "manufacturer",
                "certification": "verified",
                "city_en": "Wuhan",
                "city_zh": "武汉",
                "year_founded": 2016,
                "staff_count": 85,
                "factory_area_m2": 4200,
                "description_en": (
                    "Assembles fibre, UV and CO2 laser marking machines for jewellery, electronics and "
                    "packaging lines; free test marking on your parts before you order."
                ),
                "description_zh": (
                    "组装光纤、紫外和二氧化碳激光打标机，服务首饰、电子和包装产线；下单前可免费试打您的样件。"
                ),
                "listings": [
                    {
                        "sku": "HX-FM30-D",
                        "category": "laser-marking-machines",
                        "title_en": "30 W desktop fibre laser marking machine with rotary axis",
                        "title_zh": "30W台式光纤激光打标机（带旋转轴）",
                        "description_en": "110 × 110 mm field lens, EzCad software, rotary axis for rings and cups.",
                        "description_zh": "110×110毫米场镜，EzCad软件，旋转轴可打戒指和杯子。",
                        "unit": "set",
                        "currency": "CNY",
                        "moq": 1,
                        "tiers": [(1, "8800.00"), (5, "7900.00"), (20, "7200.00")],
                        "lead_time_days": 5,
                        "monthly_capacity": 500,
                        "sample_price": None,
                    },
                    {
                        "sku": "HX-UV5",
                        "category": "laser-marking-machines",
                        "title_en": "5 W UV laser marking machine for plastics and glass",
                        "title_zh": "5W紫外激光打标机（塑料、玻璃）",
                        "description_en": "355 nm cold marking: no burn marks on plastics, glass, silicone or PCBs.",
                        "description_zh": "355纳米冷加工，在塑料、玻璃、硅胶和电路板上不留烧痕。",
                        "unit": "set",
                        "currency": "CNY",
                        "moq": 1,
                        "tiers": [(1, "23500.00"), (5, "21800.00"), (10, "19900.00")],
                        "lead_time_days": 7,
                        "monthly_capacity": 150,
                        "sample_price": None,
                    },
                    {
                        "sku": "HX-CO2-60",
                        "category": "laser-marking-machines",
                        "title_en": "60 W CO2 galvo laser marker for wood, leather and packaging",
                        "title_zh": "60W二氧化碳振镜激光打标机（木材、皮革、包装）",
                        "description_en": (
                            "RF metal tube, marks date codes on cartons on a conveyor line at up to 200 pieces a "
                            "minute."
                        ),
                        "description_zh": "射频金属管，可在流水线上为纸箱打印日期码，每分钟最高200件。",
                        "unit": "set",
                        "currency": "CNY",
                        "moq": 1,
                        "tiers": [(1, "13800.00"), (5, "12600.00"), (20, "11500.00")],
                        "lead_time_days": 7,
                        "monthly_capacity": 200,
                        "sample_price": None,
                    },
                    {
                        "sku": "HX-HH20",
                        "category": "laser-marking-machines",
                        "title_en": "20 W handheld fibre laser marker for large parts",
                        "title_zh": "20W手持式光纤激光打标机（大件）",
                        "description_en": (
                            "Battery-free handheld head on a 2 m cable for marking VINs and serials on parts too big "
                            "to move."
                        ),
                        "description_zh": "手持打标头配2米线缆，可在无法移动的大件上打车架号和序列号。",
                        "unit": "set",
                        "currency": "USD",
                        "moq": 1,
                        "tiers": [(1, "1350.00"), (10, "1190.00"), (30, "1080.00")],
                        "lead_time_days": 5,
                        "monthly_capacity": 300,
                        "sample_price": None,
                    },
                ],
            },
            {
                "slug": "wuhan-jingrui-optics",
                "name_en": "Wuhan Jingrui Optical Components Co., Ltd.",
                "name_zh": "武汉晶锐光学元件有限公司",
                "uscc": "91420100MA188G4T6F",
                "business_type": "manufacturer",
                "certification": None,
                "status": "under_verification",
                "city_en": "Wuhan",
                "city_zh": "武汉",
                "year_founded": 2018,
                "staff_count": 40,
                "factory_area_m2": 1500,
                "description_en": (
                    "Grinds and coats focusing lenses, collimators and protective windows for laser cutting heads."
                ),
                "description_zh": "研磨和镀膜激光切割头用聚焦镜、准直镜和保护镜。",
                "listings": [],
            },
        ],
    },
    # ------------------------------------------------------------------ Shishi textiles (Fujian)
    {
        "slug": "shishi-textiles",
        "name_en": "Shishi textile belt",
        "name_zh": "石狮纺织产业带",
        "brand_en": "Shishi textiles",
        "brand_zh": "石狮纺织",
        "province": "CN-FJ",
        "city_en": "Shishi, Quanzhou",
        "city_zh": "泉州石狮",
        "industry_en": "Fabrics, yarn and garment accessories",
        "industry_zh": "面料、纱线与服装辅料",
        "story_en": (
            "Shishi, a coastal county-level city of Quanzhou, began as a market for goods sent home by "
            "overseas Chinese and became one of China's largest fabric and garment-accessory hubs. Its "
            "mills weave, knit and dye the fabrics behind much of Fujian's sportswear, and its trims "
            "makers supply zips, buttons and labels to garment factories across the country."
        ),
        "story_zh": (
            "石狮是泉州下辖的沿海县级市，从侨乡“小商品市场”起步，发展为全国最大的面料和服装辅料集散地之一。"
            "这里的织造、针织和印染厂为福建运动服装提供面料，辅料厂向全国服装厂供应拉链、纽扣和商标。"
        ),
        "suppliers": [
            {
                "slug": "shishi-hongxiang-textile",
                "name_en": "Shishi Hongxiang Textile Co., Ltd.",
                "name_zh": "石狮市鸿翔纺织有限公司",
                "uscc": "91350581MA8BTUTA8L",
                "business_type": "manufacturer",
                "certification": "certified_origin",
                "city_en": "Shishi",
                "city_zh": "石狮",
                "year_founded": 2004,
                "staff_count": 310,
                "factory_area_m2": 28000,
                "description_en": (
                    "Weaves nylon and polyester fabrics for jackets and outdoor wear on 240 water-jet "
                    "looms, with coating and lamination lines in the same plant."
                ),
                "description_zh": (
                    "拥有240台喷水织机，织造用于夹克和户外服装的锦纶、涤纶面料，同厂配有涂层和复合生产线。"
                ),
                "listings": [
                    {
                        "sku": "HX-228T-TASLAN",
                        "category": "woven-fabrics",
                        "title_en": "228T nylon taslan fabric, 150 cm, for jackets",
                        "title_zh": "228T锦纶塔丝隆面料 门幅150厘米 夹克用",
                        "description_en": (
                            "Nylon taslan, 110 g/m², water-repellent finish; 40 stock colours or dyed to your Pantone."
                        ),
                        "description_zh": "锦纶塔丝隆，克重110克/平方米，防泼水整理；40个现货颜色，可按潘通色号染色。",
                        "unit": "metre",
                        "currency": "CNY",
                        "moq": 1000,
                        "tiers": [(1000, "9.80"), (5000, "9.20"), (20000, "8.60")],
                        "lead_time_days": 15,
                        "monthly_capacity": 400000,
                        "sample_price": "20.00",
                    },
                    {
                        "sku": "HX-300T-PONGEE-PU",
                        "category": "woven-fabrics",
                        "title_en": "300T polyester pongee with PU coating, waterproof",
                        "title_zh": "300T涤纶春亚纺 PU涂层防水",
                        "description_en": (
                            "Light lining and shell fabric with 3000 mm water column, for raincoats and down jackets."
                        ),
                        "description_zh": "轻薄里布与面布，耐水压3000毫米，适用于雨衣和羽绒服。",
                        "unit": "metre",
                        "currency": "CNY",
                        "moq": 3000,
                        "tiers": [(3000, "5.60"), (10000, "5.20"), (30000, "4.80")],
                        "lead_time_days": 12,
                        "monthly_capacity": 800000,
                        "sample_price": "10.00",
                    },
                    {
                        "sku": "HX-CT-16x12",
                        "category": "woven-fabrics",
                        "title_en": "Cotton twill 16×12, 280 g/m², for workwear and chinos",
                        "title_zh": "全棉斜纹布 16×12 280克 工装与休闲裤用",
                        "description_en": (
                            "100% cotton 3/1 twill, 108 × 56, pre-shrunk; piece-dyed or garment-dye ready."
                        ),
                        "description_zh": "100%棉3/1斜纹，密度108×56，预缩处理；可匹染或供成衣染色。",
                        "unit": "metre",
                        "currency": "CNY",
                        "moq": 500,
                        "tiers": [(500, "21.50"), (3000, "19.80"), (10000, "18.60")],
                        "lead_time_days": 20,
                        "monthly_capacity": 150000,
                        "sample_price": "30.00",
                    },
                    {
                        "sku": "HX-SS3L-TPU",
                        "category": "functional-fabrics",
                        "title_en": "3-layer softshell fabric with TPU membrane, 10000 mm",
                        "title_zh": "三层复合软壳面料 TPU膜 耐水压10000毫米",
                        "description_en": (
                            "Stretch shell bonded to TPU membrane and micro-fleece back; 10000 mm water column, 5000 "
                            "g/m²/24h breathability."
                        ),
                        "description_zh": "弹力面料复合TPU膜与摇粒绒底，耐水压10000毫米，透湿量5000克/平方米/24小时。",
                        "unit": "metre",
                        "currency": "USD",
                        "moq": 500,
                        "tiers": [(500, "4.60"), (2000, "4.25"), (8000, "3.90")],
                        "lead_time_days": 25,
                        "monthly_capacity": 60000,
                        "sample_price": "5.00",
                    },
                ],
            },
            {
                "slug": "quanzhou-jinyu-knitting",
                "name_en": "Quanzhou Jinyu Knitting Co., Ltd.",
                "name_zh": "泉州锦宇针织有限公司",
                "uscc": "91350581MA78BKHA10",
                "business_type": "manufacturer",
                "certification": "audited_factory",
                "city_en": "Shishi",
                "city_zh": "石狮",
                "year_founded": 2008,
                "staff_count": 380,
                "factory_area_m2": 32000,
                "description_en": (
                    "Integrated mill in Shishi's Hongshan industrial area: texturing, circular knitting and "
                    "dyeing under one roof, supplying sportswear brands in Jinjiang and Xiamen."
                ),
                "description_zh": (
                    "位于石狮鸿山工业区的一体化工厂，加弹、大圆机针织和染整同厂完成，为晋江和厦门的运动品牌供货。"
                ),
                "listings": [
                    {
                        "sku": "JY-INT180",
                        "category": "knitted-fabrics",
                        "title_en": "Polyester interlock 180 g/m², quick-dry sportswear fabric",
                        "title_zh": "涤纶双面布 180克 速干运动面料",
                        "description_en": "Wicking finish, 4-way comfort stretch, for football kits and running tees.",
                        "description_zh": "吸湿排汗整理，舒适四面弹，适用于足球服和跑步T恤。",
                        "unit": "kg",
                        "currency": "CNY",
                        "moq": 500,
                        "tiers": [(500, "28.50"), (2000, "26.80"), (8000, "25.00")],
                        "lead_time_days": 10,
                        "monthly_capacity": 300000,
                        "sample_price": "15.00",
                    },
                    {
                        "sku": "JY-CSJ200",
                        "category": "knitted-fabrics",
                        "title_en": "Cotton spandex single jersey 95/5, 200 g/m²",
                        "title_zh": "棉氨纶汗布 95/5 200克",
                        "description_en": (
                            "Combed cotton with 5% spandex for T-shirts and leggings; reactive dyed, good colour "
                            "fastness."
                        ),
                        "description_zh": "精梳棉加5%氨纶，适用于T恤和打底裤；活性染色，色牢度好。",
                        "unit": "kg",
                        "currency": "CNY",
                        "moq": 300,
                        "tiers": [(300, "46.00"), (1000, "43.50"), (5000, "41.00")],
                        "lead_time_days": 12,
                        "monthly_capacity": 120000,
                        "sample_price": "15.00",
                    },
                    {
                        "sku": "JY-PF280",
                        "category": "knitted-fabrics",
                        "title_en": "Double-sided anti-pill polar fleece, 280 g/m²",
                        "title_zh": "双面抗起球摇粒绒 280克",
                        "description_en": (
                            "Brushed and sheared both sides, anti-pill grade 4; for fleece jackets and blankets."
                        ),
                        "description_zh": "双面拉毛剪毛，抗起球4级，适用于抓绒衣和毯子。",
                        "unit": "kg",
                        "currency": "CNY",
                        "moq": 500,
                        "tiers": [(500, "24.00"), (3000, "22.50"), (10000, "21.00")],
                        "lead_time_days": 10,
                        "monthly_capacity": 200000,
                        "sample_price": "15.00",
                    },
                    {
                        "sku": "JY-RDTY150",
                        "category": "yarn",
                        "title_en": "Recycled polyester DTY yarn 150D/48F, GRS certified",
                        "title_zh": "再生涤纶低弹丝 150D/48F GRS认证",
                        "description_en": (
                            "Textured from recycled PET bottle chips on our own texturing line; GRS transaction "
                            "certificate on request."
                        ),
                        "description_zh": "由再生瓶片在自有加弹线生产，可提供GRS交易证书。",
                        "unit": "kg",
                        "currency": "USD",
                        "moq": 2000,
                        "tiers": [(2000, "1.85"), (10000, "1.76"), (25000, "1.68")],
                        "lead_time_days": 15,
                        "monthly_capacity": 500000,
                        "sample_price": "10.00",
                    },
                ],
            },
            {
                "slug": "shishi-yongda-accessories",
                "name_en": "Shishi Yongda Garment Accessories Co., Ltd.",
                "name_zh": "石狮永达服装辅料有限公司",
                "uscc": "91350581MAP0LUM41E",
                "business_type": "manufacturer",
                "certification": "verified",
                "city_en": "Shishi",
                "city_zh": "石狮",
                "year_founded": 2011,
                "staff_count": 120,
                "factory_area_m2": 6500,
                "description_en": (
                    "Makes zips, resin buttons, woven labels and elastic tape; custom logos from 3,000 pieces."
                ),
                "description_zh": "生产拉链、树脂纽扣、织唛和松紧带；3000件起可定制logo。",
                "listings": [
                    {
                        "sku": "YD-NZ5-OE",
                        "category": "garment-accessories",
                        "title_en": "#5 nylon coil zip, open-end, 40–80 cm",
                        "title_zh": "5号尼龙开尾拉链 40–80厘米",
                        "description_en": "Auto-lock slider, 40 stock colours, lengths cut to order for jackets.",
                        "description_zh": "自锁拉头，40个现货颜色，按夹克所需长度裁切。",
                        "unit": "piece",
                        "currency": "CNY",
                        "moq": 1000,
                        "tiers": [(1000, "0.85"), (5000, "0.72"), (20000, "0.62")],
                        "lead_time_days": 7,
                        "monthly_capacity": 2000000,
                        "sample_price": "5.00",
                    },
                    {
                        "sku": "YD-RB20L",
                        "category": "garment-accessories",
                        "title_en": "4-hole resin shirt buttons, 20L (12.5 mm)",
                        "title_zh": "四眼树脂衬衫纽扣 20L（12.5毫米）",
                        "description_en": "Polished resin buttons, colour-matched to your fabric swatch.",
                        "description_zh": "抛光树脂纽扣，可按面料色卡配色。",
                        "unit": "piece",
                        "currency": "CNY",
                        "moq": 5000,
                        "tiers": [(5000, "0.08"), (20000, "0.07"), (100000, "0.05")],
                        "lead_time_days": 7,
                        "monthly_capacity": 10000000,
                        "sample_price": "5.00",
                    },
                    {
                        "sku": "YD-WL-DAMASK",
                        "category": "garment-accessories",
                        "title_en": "Custom woven damask labels, folded or straight cut",
                        "title_zh": "定制高密织唛 对折或平切",
                        "description_en": (
                            "High-density damask weave with your logo, up to 8 colours; artwork check within 24 hours."
                        ),
                        "description_zh": "高密织唛织出您的商标，最多8色；24小时内确认稿件。",
                        "unit": "piece",
                        "currency": "CNY",
                        "moq": 3000,
                        "tiers": [(3000, "0.12"), (10000, "0.09"), (50000, "0.07")],
                        "lead_time_days": 10,
                        "monthly_capacity": 5000000,
                        "sample_price": "50.00",
                    },
                    {
                        "sku": "YD-EL30",
                        "category": "garment-accessories",
                        "title_en": "Knitted elastic tape 30 mm for waistbands",
                        "title_zh": "30毫米针织松紧带（裤腰用）",
                        "description_en": "Soft knitted elastic with 120% stretch, stock in black and white.",
                        "description_zh": "柔软针织松紧带，伸长率120%，黑白两色现货。",
                        "unit": "metre",
                        "currency": "CNY",
                        "moq": 2000,
                        "tiers": [(2000, "0.65"), (10000, "0.55"), (50000, "0.48")],
                        "lead_time_days": 5,
                        "monthly_capacity": 3000000,
                        "sample_price": "5.00",
                    },
                ],
            },
            {
                "slug": "shishi-baofeng-dyeing",
                "name_en": "Shishi Baofeng Dyeing and Finishing Co., Ltd.",
                "name_zh": "石狮市宝丰印染有限公司",
                "uscc": "91350581MA16N5LP14",
                "business_type": "manufacturer",
                "certification": None,
                "status": "draft",
                "city_en": "Shishi",
                "city_zh": "石狮",
                "year_founded": 2006,
                "staff_count": 150,
                "factory_area_m2": 12000,
                "description_en": "Commission dyeing and printing of woven and knitted fabrics.",
                "description_zh": "承接梭织和针织面料的染色与印花加工。",
                "listings": [],
            },
        ],
    },
    # ------------------------------------------------------------------ Wenzhou menswear (Zhejiang)
    {
        "slug": "wenzhou-menswear",
        "name_en": "Wenzhou menswear belt",
        "name_zh": "温州男装产业带",
        "brand_en": "Wenzhou menswear",
        "brand_zh": "温州男装",
        "province": "CN-ZJ",
        "city_en": "Wenzhou",
        "city_zh": "温州",
        "industry_en": "Men's clothing",
        "industry_zh": "男装",
        "story_en": (
            "Wenzhou's family workshops of the 1980s grew into the suit and shirt factories behind many "
            "of China's best-known menswear labels. Today the belt's tailors combine hand-finishing with "
            "automated cutting rooms, and most still make private-label collections for brands abroad."
        ),
        "story_zh": (
            "温州上世纪八十年代的家庭作坊发展成为众多知名男装品牌背后的西服和衬衫工厂。"
            "如今产业带的工厂将手工整烫与自动化裁床结合，多数仍为海外品牌做贴牌生产。"
        ),
        "suppliers": [
            {
                "slug": "wenzhou-oubo-garment",
                "name_en": "Wenzhou Oubo Garment Co., Ltd.",
                "name_zh": "温州欧博服饰有限公司",
                "uscc": "91330304MABRAUHA89",
                "business_type": "manufacturer",
                "certification": "audited_factory",
                "city_en": "Wenzhou",
                "city_zh": "温州",
                "year_founded": 1998,
                "staff_count": 650,
                "factory_area_m2": 45000,
                "description_en": (
                    "Suit maker in Ouhai with half-canvas construction, CAD pattern room and automatic "
                    "cutting; makes private-label suits for European and Middle-East retailers."
                ),
                "description_zh": (
                    "位于瓯海的西服工厂，采用半麻衬工艺，配CAD制版和自动裁床，为欧洲和中东零售商贴牌生产西服。"
                ),
                "listings": [
                    {
                        "sku": "OB-S2P-WB",
                        "category": "mens-suits",
                        "title_en": "Men's wool-blend two-piece slim-fit suit",
                        "title_zh": "男士羊毛混纺修身两件套西服",
                        "description_en": (
                            "50% wool, half-canvas jacket with flat-front trousers; sizes 44–58, 6 stock colours."
                        ),
                        "description_zh": "50%羊毛，半麻衬上衣配无褶西裤；尺码44–58，6个现货颜色。",
                        "unit": "set",
                        "currency": "CNY",
                        "moq": 100,
                        "tiers": [(100, "420.00"), (300, "385.00"), (1000, "350.00")],
                        "lead_time_days": 30,
                        "monthly_capacity": 20000,
                        "sample_price": "600.00",
                    },
                    {
                        "sku": "OB-S3P-WED",
                        "category": "mens-suits",
                        "title_en": "Three-piece wedding suit with waistcoat",
                        "title_zh": "三件套婚礼西服（含马甲）",
                        "description_en": (
                            "Jacket, waistcoat and trousers in fine twill, satin-trimmed lapels available."
                        ),
                        "description_zh": "细斜纹面料上衣、马甲和西裤，可选缎面驳头。",
                        "unit": "set",
                        "currency": "CNY",
                        "moq": 50,
                        "tiers": [(50, "560.00"), (200, "520.00"), (500, "480.00")],
                        "lead_time_days": 35,
                        "monthly_capacity": 6000,
                        "sample_price": "780.00",
                    },
                    {
                        "sku": "OB-BZ-CL",
                        "category": "mens-suits",
                        "title_en": "Unstructured cotton-linen blazer",
                        "title_zh": "无衬棉麻休闲西装外套",
                        "description_en": "Soft-shoulder summer blazer, half-lined, patch pockets.",
                        "description_zh": "软肩夏季西装，半里布，贴袋设计。",
                        "unit": "piece",
                        "currency": "CNY",
                        "moq": 100,
                        "tiers": [(100, "260.00"), (500, "235.00"), (1500, "210.00")],
                        "lead_time_days": 25,
                        "monthly_capacity": 15000,
                        "sample_price": "380.00",
                    },
                    {
                        "sku": "OB-OEM-BS",
                        "category": "mens-suits",
                        "title_en": "Private-label business suit, your fabric or ours (OEM)",
                        "title_zh": "商务西服贴牌定制（OEM，来料或工厂面料）",
                        "description_en": "Your labels, linings and trims; tech pack to approved sample in 10 days.",
                        "description_zh": "使用您的商标、里布和辅料；收到工艺单后10天出确认样。",
                        "unit": "set",
                        "currency": "USD",
                        "moq": 200,
                        "tiers": [(200, "62.00"), (800, "57.00"), (2000, "52.00")],
                        "lead_time_days": 45,
                        "monthly_capacity": 20000,
                        "sample_price": "95.00",
                    },
                ],
            },
            {
                "slug": "wenzhou-yashi-shirts",
                "name_en": "Wenzhou Yashi Shirts Co., Ltd.",
                "name_zh": "温州雅仕衬衫有限公司",
                "uscc": "91330381MAMADXJP27",
                "business_type": "manufacturer",
                "certification": "certified_origin",
                "city_en": "Rui'an, Wenzhou",
                "city_zh": "温州瑞安",
                "year_founded": 2005,
                "staff_count": 340,
                "factory_area_m2": 16000,
                "description_en": "Shirt factory in Rui'an with single-needle tailoring and non-iron finishing lines.",
                "description_zh": "位于瑞安的衬衫工厂，采用单针缝制工艺，配有免烫整理生产线。",
                "listings": [
                    {
                        "sku": "YS-NI-80S",
                        "category": "mens-shirts",
                        "title_en": "Non-iron 100% cotton dress shirt, 80s two-ply twill",
                        "title_zh": "免烫纯棉正装衬衫 80支双股斜纹",
                        "description_en": (
                            "Liquid-ammonia non-iron finish, mother-of-pearl look buttons, regular and slim fits."
                        ),
                        "description_zh": "液氨免烫整理，仿贝壳纽扣，常规版和修身版可选。",
                        "unit": "piece",
                        "currency": "CNY",
                        "moq": 200,
                        "tiers": [(200, "88.00"), (1000, "79.00"), (5000, "72.00")],
                        "lead_time_days": 25,
                        "monthly_capacity": 60000,
                        "sample_price": "150.00",
                    },
                    {
                        "sku": "YS-OX-BD",
                        "category": "mens-shirts",
                        "title_en": "Oxford button-down casual shirt",
                        "title_zh": "牛津纺扣领休闲衬衫",
                        "description_en": "Garment-washed cotton oxford, chest pocket, 8 colours.",
                        "description_zh": "成衣水洗棉质牛津纺，胸袋设计，8个颜色。",
                        "unit": "piece",
                        "currency": "CNY",
                        "moq": 300,
                        "tiers": [(300, "62.00"), (2000, "55.00"), (8000, "49.00")],
                        "lead_time_days": 20,
                        "monthly_capacity": 80000,
                        "sample_price": "100.00",
                    },
                    {
                        "sku": "YS-LN-SS",
                        "category": "mens-shirts",
                        "title_en": "Men's linen short-sleeve shirt",
                        "title_zh": "男士亚麻短袖衬衫",
                        "description_en": "Enzyme-washed 100% linen, camp collar, coconut buttons.",
                        "description_zh": "酵素洗100%亚麻，古巴领，椰壳纽扣。",
                        "unit": "piece",
                        "currency": "CNY",
                        "moq": 200,
                        "tiers": [(200, "75.00"), (1000, "68.00"), (4000, "62.00")],
                        "lead_time_days": 25,
                        "monthly_capacity": 30000,
                        "sample_price": "120.00",
                    },
                    {
                        "sku": "YS-BB-STR",
                        "category": "mens-shirts",
                        "title_en": "Stretch bamboo-fibre business shirt",
                        "title_zh": "竹纤维弹力商务衬衫",
                        "description_en": "Bamboo viscose with spandex for travel shirts that resist creasing.",
                        "description_zh": "竹纤维粘胶加氨纶，抗皱，适合出差穿着。",
                        "unit": "piece",
                        "currency": "USD",
                        "moq": 300,
                        "tiers": [(300, "11.50"), (1500, "10.40"), (5000, "9.60")],
                        "lead_time_days": 30,
                        "monthly_capacity": 40000,
                        "sample_price": "20.00",
                    },
                ],
            },
            {
                "slug": "wenzhou-jiahe-clothing",
                "name_en": "Wenzhou Lucheng Jiahe Clothing Co., Ltd.",
                "name_zh": "温州市鹿城嘉禾服装有限公司",
                "uscc": "91330302MA1EQ1KY1W",
                "business_type": "manufacturer",
                "certification": "verified",
                "city_en": "Wenzhou",
                "city_zh": "温州",
                "year_founded": 2012,
                "staff_count": 160,
                "factory_area_m2": 7800,
                "description_en": (
                    "Makes men's trousers and outerwear for online retailers, with small-batch quick reorders."
                ),
                "description_zh": "为电商零售商生产男士裤装和外套，支持小批量快速返单。",
                "listings": [
                    {
                        "sku": "JH-CH-STR",
                        "category": "mens-trousers",
                        "title_en": "Men's stretch cotton chinos, slim tapered",
                        "title_zh": "男士弹力棉休闲裤 修身小脚",
                        "description_en": "98% cotton 2% spandex twill, waist 28–40, 10 colours.",
                        "description_zh": "98%棉2%氨纶斜纹，腰围28–40，10个颜色。",
                        "unit": "piece",
                        "currency": "CNY",
                        "moq": 300,
                        "tiers": [(300, "58.00"), (1000, "52.00"), (5000, "47.00")],
                        "lead_time_days": 20,
                        "monthly_capacity": 50000,
                        "sample_price": "90.00",
                    },
                    {
                        "sku": "JH-FT-WB",
                        "category": "mens-trousers",
                        "title_en": "Wool-blend formal trousers",
                        "title_zh": "羊毛混纺正装西裤",
                        "description_en": "30% wool suiting with extended waistband and silicone grip tape.",
                        "description_zh": "30%羊毛西服面料，加长腰头，内置防滑硅胶条。",
                        "unit": "piece",
                        "currency": "CNY",
                        "moq": 200,
                        "tiers": [(200, "95.00"), (1000, "86.00"), (3000, "79.00")],
                        "lead_time_days": 25,
                        "monthly_capacity": 20000,
                        "sample_price": "140.00",
                    },
                    {
                        "sku": "JH-OC-WB",
                        "category": "mens-outerwear",
                        "title_en": "Men's wool-blend overcoat, single-breasted",
                        "title_zh": "男士羊毛混纺单排扣大衣",
                        "description_en": "Knee-length overcoat in 60% wool melton, fully lined.",
                        "description_zh": "60%羊毛麦尔登呢及膝大衣，全里布。",
                        "unit": "piece",
                        "currency": "CNY",
                        "moq": 100,
                        "tiers": [(100, "320.00"), (500, "290.00"), (1500, "265.00")],
                        "lead_time_days": 35,
                        "monthly_capacity": 8000,
                        "sample_price": "450.00",
                    },
                    {
                        "sku": "JH-PJ-LW",
                        "category": "mens-outerwear",
                        "title_en": "Men's lightweight padded jacket, packable",
                        "title_zh": "男士轻薄棉服 可收纳",
                        "description_en": (
                            "Recycled polyester padding, water-repellent shell, packs into its own pocket."
                        ),
                        "description_zh": "再生涤纶填充，防泼水面料，可收纳进自身口袋。",
                        "unit": "piece",
                        "currency": "CNY",
                        "moq": 200,
                        "tiers": [(200, "135.00"), (1000, "122.00"), (3000, "112.00")],
                        "lead_time_days": 30,
                        "monthly_capacity": 15000,
                        "sample_price": "200.00",
                    },
                ],
            },
            {
                "slug": "wenzhou-tianyi-apparel",
                "name_en": "Wenzhou Ouhai Tianyi Apparel Co., Ltd.",
                "name_zh": "温州瓯海天逸服饰有限公司",
                "uscc": "91330304MANPQCRM81",
                "business_type": "manufacturer",
                "certification": None,
                "status": "under_verification",
                "city_en": "Wenzhou",
                "city_zh": "温州",
                "year_founded": 2017,
                "staff_count": 70,
                "factory_area_m2": 3000,
                "description_en": "Knitwear and polo shirts for men.",
                "description_zh": "生产男士针织衫和Polo衫。",
                "listings": [],
            },
        ],
    },
    # ------------------------------------------------------------------ Huzhou childrenswear (Zhejiang)
    {
        "slug": "huzhou-childrenswear",
        "name_en": "Huzhou Zhili childrenswear belt",
        "name_zh": "湖州织里童装产业带",
        "brand_en": "Zhili childrenswear",
        "brand_zh": "织里童装",
        "province": "CN-ZJ",
        "city_en": "Huzhou (Zhili town)",
        "city_zh": "湖州（织里镇）",
        "industry_en": "Children's clothing",
        "industry_zh": "童装",
        "story_en": (
            "Zhili, a town in Huzhou's Wuxing district, has thousands of childrenswear workshops and "
            "factories packed into a few square kilometres, from fabric dealers to embroidery and "
            "printing shops. Styles go from sketch to shelf in days, which is why wholesalers from "
            "across China restock here every week."
        ),
        "story_zh": (
            "湖州吴兴区织里镇在几平方公里内聚集了数以千计的童装工坊和工厂，面料商、绣花厂和印花厂一应俱全。"
            "款式从设计到上架只需几天，全国各地的批发商每周都来这里补货。"
        ),
        "suppliers": [
            {
                "slug": "huzhou-xiaomiao-garment",
                "name_en": "Huzhou Zhili Xiaomiao Garment Co., Ltd.",
                "name_zh": "湖州织里小苗服饰有限公司",
                "uscc": "91330502MAD0TQJ00B",
                "business_type": "manufacturer",
                "certification": "certified_origin",
                "city_en": "Huzhou",
                "city_zh": "湖州",
                "year_founded": 2010,
                "staff_count": 180,
                "factory_area_m2": 8000,
                "description_en": "Girls' dresses for ages 2–12, designed in-house with 300 new styles each season.",
                "description_zh": "专做2–12岁女童连衣裙，自主设计，每季推出300个新款。",
                "listings": [
                    {
                        "sku": "XM-DR-FLR",
                        "category": "girls-dresses",
                        "title_en": "Girls' cotton floral summer dress, ages 3–8",
                        "title_zh": "女童纯棉碎花夏季连衣裙 3–8岁",
                        "description_en": "Soft cotton poplin with flutter sleeves; packed in size runs of 5.",
                        "description_zh": "柔软纯棉府绸，荷叶袖；按5个尺码一手包装。",
                        "unit": "piece",
                        "currency": "CNY",
                        "moq": 100,
                        "tiers": [(100, "32.00"), (500, "28.50"), (2000, "25.00")],
                        "lead_time_days": 10,
                        "monthly_capacity": 60000,
                        "sample_price": "50.00",
                    },
                    {
                        "sku": "XM-DR-TUL",
                        "category": "girls-dresses",
                        "title_en": "Girls' tulle party princess dress",
                        "title_zh": "女童网纱派对公主裙",
                        "description_en": (
                            "Sequinned bodice and three-layer tulle skirt with cotton lining for comfort."
                        ),
                        "description_zh": "亮片上身配三层网纱裙摆，内衬纯棉，穿着舒适。",
                        "unit": "piece",
                        "currency": "CNY",
                        "moq": 100,
                        "tiers": [(100, "68.00"), (300, "62.00"), (1000, "56.00")],
                        "lead_time_days": 15,
                        "monthly_capacity": 20000,
                        "sample_price": "100.00",
                    },
                    {
                        "sku": "XM-DR-KNT",
                        "category": "girls-dresses",
                        "title_en": "Girls' knitted sweater dress for autumn",
                        "title_zh": "女童秋季针织毛衣裙",
                        "description_en": "Cotton-acrylic cable knit, machine washable.",
                        "description_zh": "棉腈麻花针织，可机洗。",
                        "unit": "piece",
                        "currency": "CNY",
                        "moq": 100,
                        "tiers": [(100, "45.00"), (500, "40.00"), (2000, "36.00")],
                        "lead_time_days": 15,
                        "monthly_capacity": 30000,
                        "sample_price": "70.00",
                    },
                    {
                        "sku": "XM-DR-DNM",
                        "category": "girls-dresses",
                        "title_en": "Girls' denim pinafore dress",
                        "title_zh": "女童牛仔背带裙",
                        "description_en": "Soft washed denim with adjustable straps and embroidered pocket.",
                        "description_zh": "柔软水洗牛仔布，背带可调，口袋绣花。",
                        "unit": "piece",
                        "currency": "USD",
                        "moq": 200,
                        "tiers": [(200, "5.80"), (1000, "5.20"), (3000, "4.70")],
                        "lead_time_days": 15,
                        "monthly_capacity": 25000,
                        "sample_price": "10.00",
                    },
                ],
            },
            {
                "slug": "huzhou-tongqu-childrenswear",
                "name_en": "Huzhou Tongqu Children's Wear Co., Ltd.",
                "name_zh": "湖州童趣童装有限公司",
                "uscc": "91330502MADPAFKR7Y",
                "business_type": "manufacturer",
                "certification": "audited_factory",
                "city_en": "Huzhou",
                "city_zh": "湖州",
                "year_founded": 2007,
                "staff_count": 290,
                "factory_area_m2": 15000,
                "description_en": (
                    "Baby and toddler clothing in OEKO-TEX certified cotton, with in-house printing and "
                    "needle detection on every carton."
                ),
                "description_zh": "使用OEKO-TEX认证棉料生产婴幼儿服装，自有印花车间，每箱出货前经过验针。",
                "listings": [
                    {
                        "sku": "TQ-TS-2P",
                        "category": "kids-sets",
                        "title_en": "Kids' cotton tracksuit, hoodie and joggers set",
                        "title_zh": "儿童纯棉卫衣卫裤运动套装",
                        "description_en": "French terry cotton, ages 2–10; custom prints from 500 sets.",
                        "description_zh": "纯棉毛圈布，2–10岁；500套起可定制印花。",
                        "unit": "set",
                        "currency": "CNY",
                        "moq": 200,
                        "tiers": [(200, "48.00"), (1000, "45.00"), (3000, "41.00")],
                        "lead_time_days": 15,
                        "monthly_capacity": 40000,
                        "sample_price": "80.00",
                    },
                    {
                        "sku": "TQ-RP-ORG",
                        "category": "baby-clothing",
                        "title_en": "Organic cotton baby romper, 0–24 months",
                        "title_zh": "有机棉婴儿连体衣 0–24个月",
                        "description_en": "GOTS organic cotton rib, nickel-free snaps, envelope neckline.",
                        "description_zh": "GOTS有机棉罗纹，无镍按扣，信封式领口。",
                        "unit": "piece",
                        "currency": "CNY",
                        "moq": 300,
                        "tiers": [(300, "22.00"), (1000, "19.50"), (5000, "17.00")],
                        "lead_time_days": 15,
                        "monthly_capacity": 80000,
                        "sample_price": "40.00",
                    },
                    {
                        "sku": "TQ-TS-SUM",
                        "category": "kids-sets",
                        "title_en": "Boys' summer T-shirt and shorts set",
                        "title_zh": "男童夏季T恤短裤套装",
                        "description_en": "Printed cotton tee with pull-on shorts, ages 2–8.",
                        "description_zh": "印花纯棉T恤配松紧腰短裤，2–8岁。",
                        "unit": "set",
                        "currency": "CNY",
                        "moq": 200,
                        "tiers": [(200, "29.00"), (1000, "26.00"), (5000, "23.50")],
                        "lead_time_days": 10,
                        "monthly_capacity": 60000,
                        "sample_price": "50.00",
                    },
                    {
                        "sku": "TQ-SB-25T",
                        "category": "baby-clothing",
                        "title_en": "Baby sleeping bag, 2.5 TOG",
                        "title_zh": "婴儿睡袋 2.5托格",
                        "description_en": "Cotton muslin outer with polyester wadding, two-way zip.",
                        "description_zh": "纯棉纱布外层，涤纶填充，双向拉链。",
                        "unit": "piece",
                        "currency": "CNY",
                        "moq": 200,
                        "tiers": [(200, "55.00"), (1000, "50.00"), (3000, "46.00")],
                        "lead_time_days": 20,
                        "monthly_capacity": 20000,
                        "sample_price": "90.00",
                    },
                ],
            },
            {
                "slug": "zhejiang-beibei-down",
                "name_en": "Zhejiang Beibei Down Apparel Co., Ltd.",
                "name_zh": "浙江贝贝羽绒服饰有限公司",
                "uscc": "91330502MAWW5Y1M0E",
                "business_type": "manufacturer",
                "certification": "verified",
                "city_en": "Huzhou",
                "city_zh": "湖州",
                "year_founded": 2014,
                "staff_count": 140,
                "factory_area_m2": 9000,
                "description_en": "Children's down jackets and padded coats, with its own down-filling room.",
                "description_zh": "生产儿童羽绒服和棉服，自有充绒车间。",
                "listings": [
                    {
                        "sku": "BB-DJ-90",
                        "category": "kids-outerwear",
                        "title_en": "Kids' hooded down jacket, 90% white duck down",
                        "title_zh": "儿童连帽羽绒服 90%白鸭绒",
                        "description_en": "600 fill power, water-repellent shell, reflective trims, ages 3–12.",
                        "description_zh": "蓬松度600，防泼水面料，反光条，3–12岁。",
                        "unit": "piece",
                        "currency": "USD",
                        "moq": 200,
                        "tiers": [(200, "24.50"), (800, "22.80"), (2000, "21.00")],
                        "lead_time_days": 30,
                        "monthly_capacity": 15000,
                        "sample_price": "40.00",
                    },
                    {
                        "sku": "BB-PV-LW",
                        "category": "kids-outerwear",
                        "title_en": "Kids' lightweight padded vest",
                        "title_zh": "儿童轻薄棉马甲",
                        "description_en": "Quilted vest with recycled padding, snap front.",
                        "description_zh": "绗缝马甲，再生棉填充，前襟按扣。",
                        "unit": "piece",
                        "currency": "CNY",
                        "moq": 200,
                        "tiers": [(200, "45.00"), (1000, "41.00"), (3000, "37.50")],
                        "lead_time_days": 20,
                        "monthly_capacity": 30000,
                        "sample_price": "70.00",
                    },
                    {
                        "sku": "BB-WB-WP",
                        "category": "kids-outerwear",
                        "title_en": "Kids' waterproof windbreaker with fleece lining",
                        "title_zh": "儿童防水冲锋衣 摇粒绒内胆",
                        "description_en": "Taped seams, 5000 mm waterproof, detachable hood.",
                        "description_zh": "压胶防水，耐水压5000毫米，可拆卸帽子。",
                        "unit": "piece",
                        "currency": "CNY",
                        "moq": 200,
                        "tiers": [(200, "58.00"), (1000, "53.00"), (3000, "48.00")],
                        "lead_time_days": 25,
                        "monthly_capacity": 20000,
                        "sample_price": "90.00",
                    },
                ],
            },
            {
                "slug": "huzhou-lele-clothing",
                "name_en": "Huzhou Wuxing Lele Clothing Co., Ltd.",
                "name_zh": "湖州吴兴乐乐服饰有限公司",
                "uscc": "91330502MAA416M43X",
                "business_type": "manufacturer",
                "certification": None,
                "status": "draft",
                "city_en": "Huzhou",
                "city_zh": "湖州",
                "year_founded": 2019,
                "staff_count": 35,
                "factory_area_m2": 1200,
                "description_en": "Small workshop making kids' pyjamas and homewear.",
                "description_zh": "生产儿童睡衣和家居服的小型工坊。",
                "listings": [],
            },
        ],
    },
    # ------------------------------------------------------------------ Xinjiang farm produce
    {
        "slug": "xinjiang-farm-produce",
        "name_en": "Xinjiang dried fruit and farm produce belt",
        "name_zh": "新疆干果与农产品产业带",
        "brand_en": "Xinjiang dried fruit",
        "brand_zh": "新疆干果",
        "province": "CN-XJ",
        "city_en": "Turpan · Aksu · Urumqi",
        "city_zh": "吐鲁番·阿克苏·乌鲁木齐",
        "industry_en": "Dried fruit, nuts and farm produce",
        "industry_zh": "干果、坚果与农产品",
        "story_en": (
            "Long sunny days, cold nights and snow-melt irrigation give Xinjiang's oases their sweet "
            "grapes, thin-shelled walnuts and red dates. Turpan's ventilated drying houses turn grapes "
            "into green raisins, and Aksu's orchards ship walnuts and jujubes to wholesalers across "
            "China and Central Asia."
        ),
        "story_zh": (
            "日照长、昼夜温差大，加上雪水灌溉，让新疆绿洲出产香甜的葡萄、薄皮核桃和红枣。"
            "吐鲁番的晾房把葡萄晾成绿葡萄干，阿克苏的果园把核桃和红枣销往全国和中亚。"
        ),
        "suppliers": [
            {
                "slug": "turpan-silk-road-raisins",
                "name_en": "Turpan Silk Road Raisin Co., Ltd.",
                "name_zh": "吐鲁番丝路葡萄干有限公司",
                "uscc": "91650400MAA26N8C1M",
                "business_type": "manufacturer",
                "certification": "certified_origin",
                "city_en": "Turpan",
                "city_zh": "吐鲁番",
                "year_founded": 2006,
                "staff_count": 95,
                "factory_area_m2": 12000,
                "description_en": (
                    "Dries grapes from 400 hectares of contract vineyards in traditional ventilated houses, "
                    "then cleans, grades and packs them on an HACCP-certified line."
                ),
                "description_zh": (
                    "收购400公顷订单葡萄园的葡萄，在传统晾房中自然阴干，再经HACCP认证生产线清洗、分级和包装。"
                ),
                "listings": [
                    {
                        "sku": "SR-GR-A",
                        "category": "raisins",
                        "title_en": "Turpan green raisins, Thompson seedless, grade A",
                        "title_zh": "吐鲁番无核白绿葡萄干 A级",
                        "description_en": (
                            "Shade-dried in ventilated houses, moisture below 15%, cleaned and destemmed."
                        ),
                        "description_zh": "晾房阴干，水分低于15%，已清洗去梗。",
                        "unit": "kg",
                        "currency": "CNY",
                        "moq": 500,
                        "tiers": [(500, "28.00"), (1000, "26.00"), (5000, "23.50")],
                        "lead_time_days": 7,
                        "monthly_capacity": 200000,
                        "sample_price": "30.00",
                    },
                    {
                        "sku": "SR-BK-MN",
                        "category": "raisins",
                        "title_en": "Black raisins (Munage grape), large",
                        "title_zh": "马奶子黑葡萄干 大粒",
                        "description_en": "Naturally dark, rich-flavoured raisins for baking and snacks.",
                        "description_zh": "天然深色，风味浓郁，适用于烘焙和零食。",
                        "unit": "kg",
                        "currency": "CNY",
                        "moq": 300,
                        "tiers": [(300, "32.00"), (1000, "29.50"), (5000, "27.00")],
                        "lead_time_days": 7,
                        "monthly_capacity": 80000,
                        "sample_price": "30.00",
                    },
                    {
                        "sku": "SR-RD-RS",
                        "category": "raisins",
                        "title_en": "Red rose-fragrance raisins",
                        "title_zh": "玫瑰香红葡萄干",
                        "description_en": "Red raisins with a floral aroma, popular in gift packs.",
                        "description_zh": "带玫瑰花香的红葡萄干，常用于礼盒。",
                        "unit": "kg",
                        "currency": "CNY",
                        "moq": 200,
                        "tiers": [(200, "38.00"), (1000, "35.00"), (3000, "32.50")],
                        "lead_time_days": 7,
                        "monthly_capacity": 40000,
                        "sample_price": "30.00",
                    },
                    {
                        "sku": "SR-GR-EXP10",
                        "category": "raisins",
                        "title_en": "Green raisins for export, 10 kg cartons",
                        "title_zh": "出口绿葡萄干 10公斤箱装",
                        "description_en": (
                            "Export grade, metal-detected, with phytosanitary certificate; FOB Tianjin or rail to "
                            "Almaty."
                        ),
                        "description_zh": "出口级，经金属探测，附植物检疫证书；天津FOB或铁路发运阿拉木图。",
                        "unit": "carton",
                        "currency": "USD",
                        "moq": 100,
                        "tiers": [(100, "28.50"), (500, "26.80"), (2000, "25.00")],
                        "lead_time_days": 15,
                        "monthly_capacity": 20000,
                        "sample_price": "35.00",
                    },
                ],
            },
            {
                "slug": "aksu-tianshan-walnut-jujube",
                "name_en": "Aksu Tianshan Walnut and Jujube Co., Ltd.",
                "name_zh": "阿克苏天山核桃红枣有限公司",
                "uscc": "91652901MAUP5XLG6Q",
                "business_type": "manufacturer",
                "certification": "audited_factory",
                "city_en": "Aksu",
                "city_zh": "阿克苏",
                "year_founded": 2009,
                "staff_count": 210,
                "factory_area_m2": 26000,
                "description_en": (
                    "Hulls, dries, cracks and sorts walnuts and grades red dates from 1,200 hectares of "
                    "cooperative orchards around Aksu, with optical sorters and cold storage."
                ),
                "description_zh": (
                    "加工阿克苏周边1200公顷合作社果园的核桃和红枣，脱青皮、烘干、破壳、分选，配有光电分选机和冷库。"
                ),
                "listings": [
                    {
                        "sku": "TS-WN-185",
                        "category": "walnuts",
                        "title_en": "Aksu 185 thin-shell walnuts in shell, 32–34 mm",
                        "title_zh": "阿克苏185薄皮核桃 带壳 32–34毫米",
                        "description_en": "Paper-thin shells that crack by hand, kernel ratio above 60%.",
                        "description_zh": "壳薄可手捏开，出仁率60%以上。",
                        "unit": "kg",
                        "currency": "CNY",
                        "moq": 1000,
                        "tiers": [(1000, "18.50"), (5000, "17.00"), (20000, "15.80")],
                        "lead_time_days": 7,
                        "monthly_capacity": 500000,
                        "sample_price": "20.00",
                    },
                    {
                        "sku": "TS-WK-LH80",
                        "category": "walnuts",
                        "title_en": "Walnut kernels, light halves (LH 80%)",
                        "title_zh": "核桃仁 浅色半仁（LH 80%）",
                        "description_en": "Light-coloured halves, vacuum-packed in 10 kg cartons, stored at 0–4 °C.",
                        "description_zh": "浅色半仁，10公斤真空箱装，0–4°C冷藏。",
                        "unit": "kg",
                        "currency": "USD",
                        "moq": 500,
                        "tiers": [(500, "6.80"), (2000, "6.40"), (10000, "5.90")],
                        "lead_time_days": 10,
                        "monthly_capacity": 120000,
                        "sample_price": "10.00",
                    },
                    {
                        "sku": "TS-JJ-JUN1",
                        "category": "jujubes",
                        "title_en": "Hotan Jun jujubes (red dates), grade 1",
                        "title_zh": "和田骏枣 一级",
                        "description_en": "Large, fleshy red dates, naturally sun-dried on the tree.",
                        "description_zh": "个大肉厚，树上自然晾干。",
                        "unit": "kg",
                        "currency": "CNY",
                        "moq": 500,
                        "tiers": [(500, "22.00"), (2000, "20.00"), (10000, "18.00")],
                        "lead_time_days": 7,
                        "monthly_capacity": 300000,
                        "sample_price": "20.00",
                    },
                    {
                        "sku": "TS-JJ-HUI",
                        "category": "jujubes",
                        "title_en": "Ruoqiang grey jujubes (Huizao)",
                        "title_zh": "若羌灰枣",
                        "description_en": "Small, sweet jujubes with thin skins, for snacks and tea.",
                        "description_zh": "个小味甜、皮薄，适合零食和泡茶。",
                        "unit": "kg",
                        "currency": "CNY",
                        "moq": 500,
                        "tiers": [(500, "16.00"), (2000, "14.80"), (10000, "13.50")],
                        "lead_time_days": 7,
                        "monthly_capacity": 250000,
                        "sample_price": "20.00",
                    },
                    {
                        "sku": "TS-JW-SNK",
                        "category": "mixed-dried-fruit",
                        "title_en": "Red dates stuffed with walnut, snack pack",
                        "title_zh": "红枣夹核桃 休闲零食装",
                        "description_en": (
                            "Pitted Jun jujubes stuffed with walnut halves, nitrogen-flushed 250 g pouches."
                        ),
                        "description_zh": "去核骏枣夹核桃仁，250克充氮袋装。",
                        "unit": "kg",
                        "currency": "CNY",
                        "moq": 100,
                        "tiers": [(100, "68.00"), (500, "62.00"), (2000, "56.00")],
                        "lead_time_days": 10,
                        "monthly_capacity": 30000,
                        "sample_price": "40.00",
                    },
                ],
            },
            {
                "slug": "urumqi-xiyu-trading",
                "name_en": "Urumqi Xiyu Agricultural Products Trading Co., Ltd.",
                "name_zh": "乌鲁木齐西域农产品贸易有限公司",
                "uscc": "91650100MAT2JCH22R",
                "business_type": "trading",
                "certification": "verified",
                "city_en": "Urumqi",
                "city_zh": "乌鲁木齐",
                "year_founded": 2012,
                "staff_count": 30,
                "factory_area_m2": None,
                "description_en": (
                    "A trading company, not a factory: sources almonds, apricots and figs from farmers' "
                    "cooperatives in southern Xinjiang and packs mixed assortments in a rented warehouse."
                ),
                "description_zh": (
                    "贸易公司而非工厂：从南疆农民合作社采购巴旦木、杏干和无花果，在租赁仓库中分装什锦礼盒。"
                ),
                "listings": [
                    {
                        "sku": "XY-BD-PS",
                        "category": "almonds-nuts",
                        "title_en": "Shache paper-shell badam almonds",
                        "title_zh": "莎车纸皮巴旦木",
                        "description_en": "Thin-shell almonds, roasted with a light salt, in 5 kg bags.",
                        "description_zh": "薄壳巴旦木，淡盐烘烤，5公斤袋装。",
                        "unit": "kg",
                        "currency": "CNY",
                        "moq": 300,
                        "tiers": [(300, "45.00"), (1000, "42.00"), (5000, "39.00")],
                        "lead_time_days": 7,
                        "monthly_capacity": 50000,
                        "sample_price": "30.00",
                    },
                    {
                        "sku": "XY-AP-KC",
                        "category": "dried-apricots-figs",
                        "title_en": "Kuqa small white apricots, dried",
                        "title_zh": "库车小白杏干",
                        "description_en": "Sun-dried whole apricots, sulphur-free, honey-sweet.",
                        "description_zh": "整颗日晒杏干，无硫熏，口感蜜甜。",
                        "unit": "kg",
                        "currency": "CNY",
                        "moq": 200,
                        "tiers": [(200, "36.00"), (1000, "33.00"), (3000, "30.50")],
                        "lead_time_days": 7,
                        "monthly_capacity": 30000,
                        "sample_price": "30.00",
                    },
                    {
                        "sku": "XY-FG-ATS",
                        "category": "dried-apricots-figs",
                        "title_en": "Atushi dried figs",
                        "title_zh": "阿图什无花果干",
                        "description_en": "Whole dried figs from Atushi, the 'home of figs' in Kizilsu.",
                        "description_zh": "来自克州“无花果之乡”阿图什的整颗无花果干。",
                        "unit": "kg",
                        "currency": "CNY",
                        "moq": 100,
                        "tiers": [(100, "58.00"), (500, "53.00"), (2000, "49.00")],
                        "lead_time_days": 10,
                        "monthly_capacity": 10000,
                        "sample_price": "40.00",
                    },
                    {
                        "sku": "XY-GB-12",
                        "category": "mixed-dried-fruit",
                        "title_en": "Xinjiang dried fruit gift box, 1.2 kg assortment",
                        "title_zh": "新疆干果礼盒 1.2公斤什锦装",
                        "description_en": (
                            "Six jars: raisins, red dates, walnuts, badam, apricots and figs; custom sleeves from 300 "
                            "boxes."
                        ),
                        "description_zh": "六罐装：葡萄干、红枣、核桃、巴旦木、杏干和无花果；300盒起可定制外套。",
                        "unit": "set",
                        "currency": "CNY",
                        "moq": 50,
                        "tiers": [(50, "118.00"), (300, "105.00"), (1000, "96.00")],
                        "lead_time_days": 10,
                        "monthly_capacity": 8000,
                        "sample_price": "130.00",
                    },
                ],
            },
            {
                "slug": "kashgar-pamir-apricot",
                "name_en": "Kashgar Pamir Apricot Industry Co., Ltd.",
                "name_zh": "喀什帕米尔杏业有限公司",
                "uscc": "91653101MAUXC3A929",
                "business_type": "manufacturer",
                "certification": None,
                "status": "under_verification",
                "city_en": "Kashgar",
                "city_zh": "喀什",
                "year_founded": 2015,
                "staff_count": 60,
                "factory_area_m2": 5000,
                "description_en": "Dries and pits apricots and presses apricot-kernel oil.",
                "description_zh": "生产杏干、杏脯，并压榨杏仁油。",
                "listings": [],
            },
        ],
    },
    # ------------------------------------------------------------------ Gansu agriculture
    {
        "slug": "gansu-agriculture",
        "name_en": "Gansu highland agriculture belt",
        "name_zh": "甘肃高原农业产业带",
        "brand_en": "Gansu Flavour",
        "brand_zh": "甘味",
        "province": "CN-GS",
        "city_en": "Dingxi · Tianshui · Lanzhou",
        "city_zh": "定西·天水·兰州",
        "industry_en": "Potatoes, apples and highland farm produce",
        "industry_zh": "马铃薯、苹果与高原特色农产品",
        "story_en": (
            "On the dry loess plateau, Dingxi turned the potato from a famine crop into China's "
            "seed-potato and starch capital, while Tianshui's high orchards grow crisp Huaniu apples. "
            "Lanzhou's sweet lily bulbs and the medicinal herbs of Min and Longxi counties complete a "
            "belt sold under the province's 'Gansu Flavour' brand."
        ),
        "story_zh": (
            "在干旱的黄土高原上，定西把马铃薯从救荒作物做成了全国的种薯和淀粉之乡，天水的高海拔果园种出脆甜的花牛苹果。"
            "再加上兰州甜百合以及岷县、陇西的中药材，构成了以“甘味”品牌统一销售的产业带。"
        ),
        "suppliers": [
            {
                "slug": "dingxi-longyuan-potato",
                "name_en": "Dingxi Longyuan Potato Industry Co., Ltd.",
                "name_zh": "定西陇原薯业有限公司",
                "uscc": "91621100MAG3F15M5G",
                "business_type": "manufacturer",
                "certification": "audited_factory",
                "city_en": "Dingxi",
                "city_zh": "定西",
                "year_founded": 2003,
                "staff_count": 360,
                "factory_area_m2": 52000,
                "description_en": (
                    "Grows virus-free seed potatoes in its own tissue-culture lab and runs a starch and "
                    "flake plant supplied by 8,000 contract farmers."
                ),
                "description_zh": "自有组培实验室繁育脱毒种薯，并经营淀粉和薯片厂，由8000户订单农户供应原料。",
                "listings": [
                    {
                        "sku": "LY-FP-LS7",
                        "category": "potatoes",
                        "title_en": "Fresh potatoes, Longshu No. 7, 150–300 g, 25 kg bags",
                        "title_zh": "鲜马铃薯 陇薯7号 150–300克 25公斤网袋",
                        "description_en": "Yellow-flesh table potatoes from cold stores, available September to May.",
                        "description_zh": "黄心鲜食马铃薯，冷库储藏，9月至次年5月供货。",
                        "unit": "tonne",
                        "currency": "CNY",
                        "moq": 20,
                        "tiers": [(20, "2100.00"), (100, "1950.00"), (500, "1820.00")],
                        "lead_time_days": 5,
                        "monthly_capacity": 8000,
                        "sample_price": None,
                    },
                    {
                        "sku": "LY-ST-FG",
                        "category": "potatoes",
                        "title_en": "Potato starch, food grade, superior quality",
                        "title_zh": "食品级马铃薯淀粉 优级品",
                        "description_en": "Whiteness ≥ 92%, viscosity ≥ 1300 BU, 25 kg paper bags; COA with each lot.",
                        "description_zh": "白度≥92%，黏度≥1300 BU，25公斤纸袋包装；每批附检验报告。",
                        "unit": "tonne",
                        "currency": "USD",
                        "moq": 5,
                        "tiers": [(5, "1250.00"), (20, "1200.00"), (100, "1150.00")],
                        "lead_time_days": 10,
                        "monthly_capacity": 3000,
                        "sample_price": "20.00",
                    },
                    {
                        "sku": "LY-DF-01",
                        "category": "potatoes",
                        "title_en": "Dehydrated potato flakes",
                        "title_zh": "脱水马铃薯雪花全粉",
                        "description_en": "Drum-dried flakes for mashed potato, snacks and bakery.",
                        "description_zh": "滚筒干燥雪花全粉，用于土豆泥、零食和烘焙。",
                        "unit": "kg",
                        "currency": "CNY",
                        "moq": 1000,
                        "tiers": [(1000, "14.50"), (5000, "13.60"), (20000, "12.80")],
                        "lead_time_days": 10,
                        "monthly_capacity": 400000,
                        "sample_price": "10.00",
                    },
                    {
                        "sku": "LY-MT-G1",
                        "category": "potatoes",
                        "title_en": "Virus-free seed potato mini-tubers (G1)",
                        "title_zh": "脱毒原原种马铃薯微型薯（G1）",
                        "description_en": "Tissue-culture mini-tubers of Longshu and Qingshu varieties, 3–10 g each.",
                        "description_zh": "陇薯和青薯系列组培微型薯，单粒3–10克。",
                        "unit": "piece",
                        "currency": "CNY",
                        "moq": 10000,
                        "tiers": [(10000, "0.35"), (50000, "0.30"), (200000, "0.26")],
                        "lead_time_days": 15,
                        "monthly_capacity": 2000000,
                        "sample_price": None,
                    },
                ],
            },
            {
                "slug": "tianshui-huaniu-apple",
                "name_en": "Tianshui Huaniu Apple Industry Co., Ltd.",
                "name_zh": "天水花牛苹果产业有限公司",
                "uscc": "91620500MAGKTUPDXB",
                "business_type": "manufacturer",
                "certification": "certified_origin",
                "city_en": "Tianshui",
                "city_zh": "天水",
                "year_founded": 2010,
                "staff_count": 150,
                "factory_area_m2": 20000,
                "description_en": (
                    "Runs 600 hectares of high-altitude orchards with controlled-atmosphere storage and a grading line."
                ),
                "description_zh": "经营600公顷高海拔果园，配有气调库和分级生产线。",
                "listings": [
                    {
                        "sku": "HN-AP-80",
                        "category": "apples",
                        "title_en": "Tianshui Huaniu apples (Red Delicious), 80 mm+, 10 kg cartons",
                        "title_zh": "天水花牛苹果 果径80毫米以上 10公斤箱装",
                        "description_en": (
                            "Deep red, fragrant and powdery-crisp; from controlled-atmosphere storage year round."
                        ),
                        "description_zh": "色泽深红，香气浓郁，口感沙脆；气调库储存，全年供货。",
                        "unit": "carton",
                        "currency": "CNY",
                        "moq": 100,
                        "tiers": [(100, "98.00"), (500, "89.00"), (2000, "82.00")],
                        "lead_time_days": 5,
                        "monthly_capacity": 30000,
                        "sample_price": "120.00",
                    },
                    {
                        "sku": "HN-FJ-8085",
                        "category": "apples",
                        "title_en": "Jingning Fuji apples, 80–85 mm",
                        "title_zh": "静宁红富士苹果 80–85毫米",
                        "description_en": "Bagged-grown Fuji apples, sugar ≥ 14 °Brix, sold loose by weight.",
                        "description_zh": "套袋种植红富士，糖度≥14°Brix，按重量散装销售。",
                        "unit": "kg",
                        "currency": "CNY",
                        "moq": 1000,
                        "tiers": [(1000, "7.80"), (5000, "7.20"), (20000, "6.60")],
                        "lead_time_days": 5,
                        "monthly_capacity": 600000,
                        "sample_price": None,
                    },
                    {
                        "sku": "HN-AJC-70",
                        "category": "apples",
                        "title_en": "Apple juice concentrate, 70 °Brix",
                        "title_zh": "浓缩苹果汁 70°Brix",
                        "description_en": "Clear concentrate in 265 kg aseptic drums, for juice and beverage makers.",
                        "description_zh": "清汁浓缩液，265公斤无菌桶装，供果汁和饮料厂使用。",
                        "unit": "tonne",
                        "currency": "USD",
                        "moq": 20,
                        "tiers": [(20, "1350.00"), (60, "1300.00"), (200, "1240.00")],
                        "lead_time_days": 20,
                        "monthly_capacity": 2000,
                        "sample_price": "30.00",
                    },
                    {
                        "sku": "HN-FD-CHIP",
                        "category": "apples",
                        "title_en": "Freeze-dried apple chips, no added sugar",
                        "title_zh": "冻干苹果脆片 无添加糖",
                        "description_en": "Crunchy chips of Huaniu apples, nothing added, 5 kg bulk bags.",
                        "description_zh": "花牛苹果冻干脆片，零添加，5公斤散装。",
                        "unit": "kg",
                        "currency": "CNY",
                        "moq": 100,
                        "tiers": [(100, "95.00"), (500, "88.00"), (2000, "82.00")],
                        "lead_time_days": 10,
                        "monthly_capacity": 20000,
                        "sample_price": "30.00",
                    },
                ],
            },
            {
                "slug": "lanzhou-qilian-lily-herb",
                "name_en": "Lanzhou Qilian Lily and Herb Co., Ltd.",
                "name_zh": "兰州祁连百合药材有限公司",
                "uscc": "91620100MAFEPA6F1C",
                "business_type": "manufacturer",
                "certification": "verified",
                "city_en": "Lanzhou",
                "city_zh": "兰州",
                "year_founded": 2011,
                "staff_count": 75,
                "factory_area_m2": 6000,
                "description_en": (
                    "Grows and processes Lanzhou sweet lily and sources angelica and codonopsis from Min and Longxi "
                    "counties."
                ),
                "description_zh": "种植加工兰州甜百合，并从岷县、陇西采购当归和党参。",
                "listings": [
                    {
                        "sku": "QL-LB-FR",
                        "category": "lily-bulbs",
                        "title_en": "Fresh Lanzhou sweet lily bulbs",
                        "title_zh": "兰州鲜百合（甜百合）",
                        "description_en": "Six-year-grown bulbs, sweet with no bitterness; cold-chain in 500 g boxes.",
                        "description_zh": "六年生百合，甜而不苦；500克盒装冷链发货。",
                        "unit": "kg",
                        "currency": "CNY",
                        "moq": 200,
                        "tiers": [(200, "48.00"), (1000, "44.00"), (5000, "40.00")],
                        "lead_time_days": 3,
                        "monthly_capacity": 50000,
                        "sample_price": "60.00",
                    },
                    {
                        "sku": "QL-LB-DR",
                        "category": "lily-bulbs",
                        "title_en": "Dried Lanzhou lily scales",
                        "title_zh": "兰州百合干",
                        "description_en": "Sulphur-free dried scales for soups and desserts.",
                        "description_zh": "无硫百合干，用于煲汤和甜品。",
                        "unit": "kg",
                        "currency": "CNY",
                        "moq": 50,
                        "tiers": [(50, "160.00"), (200, "148.00"), (1000, "135.00")],
                        "lead_time_days": 5,
                        "monthly_capacity": 8000,
                        "sample_price": "40.00",
                    },
                    {
                        "sku": "QL-AG-MX",
                        "category": "medicinal-herbs",
                        "title_en": "Min County angelica root (Dang Gui), whole",
                        "title_zh": "岷县当归 全归",
                        "description_en": "Whole roots graded by size; pesticide-residue test report per lot.",
                        "description_zh": "按规格分级的整根当归；每批附农残检测报告。",
                        "unit": "kg",
                        "currency": "CNY",
                        "moq": 100,
                        "tiers": [(100, "75.00"), (500, "69.00"), (2000, "64.00")],
                        "lead_time_days": 7,
                        "monthly_capacity": 20000,
                        "sample_price": "30.00",
                    },
                    {
                        "sku": "QL-CD-LX",
                        "category": "medicinal-herbs",
                        "title_en": "Longxi codonopsis root (Dang Shen), sliced",
                        "title_zh": "陇西党参 切片",
                        "description_en": "Sliced and dried codonopsis for tea and soup blends.",
                        "description_zh": "切片烘干党参，用于茶饮和汤料。",
                        "unit": "kg",
                        "currency": "CNY",
                        "moq": 50,
                        "tiers": [(50, "110.00"), (300, "102.00"), (1000, "95.00")],
                        "lead_time_days": 7,
                        "monthly_capacity": 10000,
                        "sample_price": "30.00",
                    },
                ],
            },
            {
                "slug": "gansu-hexi-seed",
                "name_en": "Gansu Hexi Corridor Seed Industry Co., Ltd.",
                "name_zh": "甘肃河西走廊种业有限公司",
                "uscc": "91620700MA3JFG9X2B",
                "business_type": "manufacturer",
                "certification": None,
                "status": "draft",
                "city_en": "Zhangye",
                "city_zh": "张掖",
                "year_founded": 2008,
                "staff_count": 120,
                "factory_area_m2": 18000,
                "description_en": "Produces hybrid maize and vegetable seed in the Hexi Corridor.",
                "description_zh": "在河西走廊制种玉米杂交种和蔬菜种子。",
                "listings": [],
            },
        ],
    },
    # ------------------------------------------------------------------ Ningxia goji
    {
        "slug": "ningxia-goji",
        "name_en": "Ningxia goji and farm produce belt",
        "name_zh": "宁夏枸杞与农产品产业带",
        "brand_en": "Ningxia goji",
        "brand_zh": "宁夏枸杞",
        "province": "CN-NX",
        "city_en": "Zhongning · Yinchuan · Zhongwei",
        "city_zh": "中宁·银川·中卫",
        "industry_en": "Goji (wolfberry) and farm produce",
        "industry_zh": "枸杞及特色农产品",
        "story_en": (
            "Irrigated by the Yellow River on the edge of the desert, Zhongning county has grown goji for "
            "centuries and gives its name to the berry's best-known grade. Around it, Ningxia's processors "
            "turn goji into juice, powder and extracts, and the sand-covered fields of Zhongwei grow "
            "selenium-rich melons."
        ),
        "story_zh": (
            "中宁县地处沙漠边缘、引黄河水灌溉，种植枸杞已有数百年，“中宁枸杞”是枸杞中最知名的产地品牌。"
            "周边的加工企业把枸杞做成原浆、粉和提取物，中卫的压砂地则出产富硒的硒砂瓜。"
        ),
        "suppliers": [
            {
                "slug": "zhongning-qiyuan-goji",
                "name_en": "Ningxia Zhongning Qiyuan Goji Co., Ltd.",
                "name_zh": "宁夏中宁杞源枸杞有限公司",
                "uscc": "91640521MA3W9X1667",
                "business_type": "manufacturer",
                "certification": "certified_origin",
                "city_en": "Zhongning",
                "city_zh": "中宁",
                "year_founded": 2002,
                "staff_count": 230,
                "factory_area_m2": 24000,
                "description_en": (
                    "Farms 700 hectares of goji in Zhongning and dries, grades and packs the berries in its "
                    "own plant; EU and USDA organic certified fields."
                ),
                "description_zh": "在中宁种植700公顷枸杞，自有工厂烘干、分级和包装；部分基地获欧盟和美国有机认证。",
                "listings": [
                    {
                        "sku": "QY-DG-280",
                        "category": "dried-goji",
                        "title_en": "Zhongning dried goji berries, grade 280",
                        "title_zh": "中宁枸杞干果 280粒/50克",
                        "description_en": "About 280 berries per 50 g, sun- and hot-air dried, no sulphur treatment.",
                        "description_zh": "每50克约280粒，晾晒加热风烘干，未经硫熏。",
                        "unit": "kg",
                        "currency": "CNY",
                        "moq": 100,
                        "tiers": [(100, "68.00"), (500, "62.00"), (2000, "56.00")],
                        "lead_time_days": 5,
                        "monthly_capacity": 100000,
                        "sample_price": "30.00",
                    },
                    {
                        "sku": "QY-DG-220",
                        "category": "dried-goji",
                        "title_en": "Premium jumbo goji berries, grade 220",
                        "title_zh": "特级大果枸杞 220粒/50克",
                        "description_en": "Hand-selected large berries for gift packs and premium retail.",
                        "description_zh": "人工精选大果，适用于礼盒和高端零售。",
                        "unit": "kg",
                        "currency": "CNY",
                        "moq": 50,
                        "tiers": [(50, "92.00"), (300, "85.00"), (1000, "79.00")],
                        "lead_time_days": 5,
                        "monthly_capacity": 30000,
                        "sample_price": "40.00",
                    },
                    {
                        "sku": "QY-DG-ORG380",
                        "category": "dried-goji",
                        "title_en": "EU organic goji berries, grade 380",
                        "title_zh": "欧盟有机枸杞 380粒/50克",
                        "description_en": "Certified organic, tested for 500+ pesticide residues; FOB Tianjin.",
                        "description_zh": "有机认证，经500余项农残检测；天津FOB。",
                        "unit": "kg",
                        "currency": "USD",
                        "moq": 200,
                        "tiers": [(200, "12.80"), (1000, "11.90"), (5000, "10.90")],
                        "lead_time_days": 15,
                        "monthly_capacity": 40000,
                        "sample_price": "15.00",
                    },
                    {
                        "sku": "QY-BG-WLD",
                        "category": "black-goji",
                        "title_en": "Black goji berries (Lycium ruthenicum)",
                        "title_zh": "黑枸杞",
                        "description_en": (
                            "Dried black wolfberries rich in anthocyanins; steep in warm water for a violet tea."
                        ),
                        "description_zh": "富含花青素的黑枸杞干果，温水冲泡呈紫色。",
                        "unit": "kg",
                        "currency": "CNY",
                        "moq": 10,
                        "tiers": [(10, "280.00"), (50, "250.00"), (200, "220.00")],
                        "lead_time_days": 5,
                        "monthly_capacity": 3000,
                        "sample_price": "50.00",
                    },
                    {
                        "sku": "QY-DG-500B",
                        "category": "dried-goji",
                        "title_en": "Bulk goji berries grade 500, for extraction and juicing",
                        "title_zh": "500粒级统货枸杞 提取及榨汁用",
                        "description_en": "Small berries sold by the tonne to extract and juice makers.",
                        "description_zh": "小粒统货，按吨销售给提取和果汁厂家。",
                        "unit": "tonne",
                        "currency": "CNY",
                        "moq": 1,
                        "tiers": [(1, "32000.00"), (5, "30000.00"), (20, "28000.00")],
                        "lead_time_days": 7,
                        "monthly_capacity": 300,
                        "sample_price": None,
                    },
                ],
            },
            {
                "slug": "ningxia-hongqi-biotech",
                "name_en": "Ningxia Hongqi Biotechnology Co., Ltd.",
                "name_zh": "宁夏红杞生物科技有限公司",
                "uscc": "91640100MAQBJ4UA1L",
                "business_type": "manufacturer",
                "certification": "audited_factory",
                "city_en": "Yinchuan",
                "city_zh": "银川",
                "year_founded": 2012,
                "staff_count": 190,
                "factory_area_m2": 21000,
                "description_en": (
                    "GMP plant in Yinchuan making NFC goji juice, freeze-dried powder, polysaccharide "
                    "extract and cold-pressed seed oil from Zhongning berries."
                ),
                "description_zh": "位于银川的GMP工厂，以中宁枸杞为原料生产NFC枸杞原浆、冻干粉、多糖提取物和冷榨籽油。",
                "listings": [
                    {
                        "sku": "HQ-NFC-30x10",
                        "category": "goji-juice",
                        "title_en": "NFC goji juice, box of 10 × 30 ml sachets",
                        "title_zh": "NFC枸杞原浆 30毫升×10袋/盒",
                        "description_en": (
                            "Not-from-concentrate juice pressed from fresh berries, pasteurised, no additives."
                        ),
                        "description_zh": "鲜果压榨非浓缩还原原浆，巴氏杀菌，无添加。",
                        "unit": "piece",
                        "currency": "CNY",
                        "moq": 500,
                        "tiers": [(500, "38.00"), (2000, "34.00"), (10000, "30.00")],
                        "lead_time_days": 10,
                        "monthly_capacity": 200000,
                        "sample_price": "45.00",
                    },
                    {
                        "sku": "HQ-FDP",
                        "category": "goji-extracts",
                        "title_en": "Freeze-dried goji powder, 100% fruit",
                        "title_zh": "枸杞冻干粉 100%果粉",
                        "description_en": "Whole-fruit powder, no carrier, for smoothies and supplements; 25 kg drums.",
                        "description_zh": "全果冻干粉，不添加载体，用于奶昔和保健品；25公斤纸桶装。",
                        "unit": "kg",
                        "currency": "USD",
                        "moq": 25,
                        "tiers": [(25, "31.00"), (100, "28.50"), (500, "26.00")],
                        "lead_time_days": 15,
                        "monthly_capacity": 10000,
                        "sample_price": "20.00",
                    },
                    {
                        "sku": "HQ-LBP-40",
                        "category": "goji-extracts",
                        "title_en": "Goji polysaccharide extract 40% (LBP, UV)",
                        "title_zh": "枸杞多糖提取物 40%（紫外法）",
                        "description_en": "Standardised Lycium barbarum polysaccharides with COA, for nutraceuticals.",
                        "description_zh": "标准化枸杞多糖，附检验报告，用于营养保健品。",
                        "unit": "kg",
                        "currency": "USD",
                        "moq": 5,
                        "tiers": [(5, "68.00"), (25, "62.00"), (100, "56.00")],
                        "lead_time_days": 10,
                        "monthly_capacity": 2000,
                        "sample_price": "15.00",
                    },
                    {
                        "sku": "HQ-SO-CP",
                        "category": "goji-extracts",
                        "title_en": "Cold-pressed goji seed oil",
                        "title_zh": "冷榨枸杞籽油",
                        "description_en": "Pressed from goji seeds left by juicing, for cosmetics and softgels.",
                        "description_zh": "以榨汁后的枸杞籽为原料冷榨，用于化妆品和软胶囊。",
                        "unit": "kg",
                        "currency": "CNY",
                        "moq": 5,
                        "tiers": [(5, "580.00"), (20, "540.00"), (100, "500.00")],
                        "lead_time_days": 10,
                        "monthly_capacity": 1500,
                        "sample_price": "80.00",
                    },
                ],
            },
            {
                "slug": "ningxia-shahu-farm-produce",
                "name_en": "Ningxia Shahu Farm Produce Co., Ltd.",
                "name_zh": "宁夏沙湖农产品有限公司",
                "uscc": "91640500MAUDND661M",
                "business_type": "manufacturer",
                "certification": "verified",
                "city_en": "Zhongwei",
                "city_zh": "中卫",
                "year_founded": 2014,
                "staff_count": 65,
                "factory_area_m2": 8000,
                "description_en": (
                    "Grows selenium-sand melons and Yellow River rice and millet on its own farms near Zhongwei."
                ),
                "description_zh": "在中卫附近的自有农场种植硒砂瓜以及黄河灌区大米和小米。",
                "listings": [
                    {
                        "sku": "SH-WM-SE",
                        "category": "melons-fresh-fruit",
                        "title_en": "Zhongwei selenium-sand watermelons",
                        "title_zh": "中卫硒砂瓜",
                        "description_en": "Grown in gravel-mulched fields, 6–9 kg each, harvested July to September.",
                        "description_zh": "压砂地种植，单瓜6–9公斤，7至9月采收。",
                        "unit": "tonne",
                        "currency": "CNY",
                        "moq": 5,
                        "tiers": [(5, "2600.00"), (20, "2400.00"), (100, "2200.00")],
                        "lead_time_days": 3,
                        "monthly_capacity": 3000,
                        "sample_price": None,
                    },
                    {
                        "sku": "SH-RC-JP",
                        "category": "rice-grains",
                        "title_en": "Ningxia japonica rice, Yellow River irrigated",
                        "title_zh": "宁夏黄河灌区粳米",
                        "description_en": "New-crop short-grain rice, milled to order in 10 kg or 25 kg bags.",
                        "description_zh": "当季新米，按订单碾磨，10公斤或25公斤袋装。",
                        "unit": "kg",
                        "currency": "CNY",
                        "moq": 1000,
                        "tiers": [(1000, "7.80"), (5000, "7.20"), (20000, "6.60")],
                        "lead_time_days": 5,
                        "monthly_capacity": 500000,
                        "sample_price": "20.00",
                    },
                    {
                        "sku": "SH-ML-YL",
                        "category": "rice-grains",
                        "title_en": "Yellow millet from Ningxia's dry highlands",
                        "title_zh": "宁夏旱作黄小米",
                        "description_en": "Rain-fed millet, cleaned and colour-sorted, 5 kg bags.",
                        "description_zh": "旱作小米，清选并经色选，5公斤袋装。",
                        "unit": "kg",
                        "currency": "CNY",
                        "moq": 500,
                        "tiers": [(500, "11.50"), (2000, "10.60"), (10000, "9.80")],
                        "lead_time_days": 5,
                        "monthly_capacity": 100000,
                        "sample_price": "15.00",
                    },
                ],
            },
            {
                "slug": "helan-mountain-winery",
                "name_en": "Ningxia Helan Mountain East Winery Co., Ltd.",
                "name_zh": "宁夏贺兰山东麓酒庄有限公司",
                "uscc": "91640100MALRCG2T9K",
                "business_type": "manufacturer",
                "certification": None,
                "status": "under_verification",
                "city_en": "Yinchuan",
                "city_zh": "银川",
                "year_founded": 2013,
                "staff_count": 45,
                "factory_area_m2": 7000,
                "description_en": (
                    "Estate winery on the eastern foothills of the Helan Mountains, making Cabernet Sauvignon and "
                    "Marselan."
                ),
                "description_zh": "位于贺兰山东麓的酒庄，酿造赤霞珠和马瑟兰葡萄酒。",
                "listings": [],
            },
        ],
    },
]

# --- Evidence behind the badges ------------------------------------------------------------------
# What each company handed in and where it makes things, so a certification in the demo is an
# evidence chain (registry check, licence, certificates, site, audit) and not a bare badge.
# The seed generates licence, certificate and audit-report pictures from these rows (marked as
# demo documents), runs the verification checks on them, and only then certifies.

# An audit checklist per industry, as an admin would keep it. The seed creates a missing one and
# never rewrites one that exists (admins edit them). Points: (code, English, Chinese).
AUDIT_CHECKLISTS = [
    {
        "slug": "laser-equipment",
        "industry_en": "Laser equipment",
        "industry_zh": "激光设备",
        "points": [
            (
                "own-assembly",
                "Machines are assembled and tested in the company's own workshop at the audited address",
                "设备在受审核地址的自有车间内装配和测试",
            ),
            (
                "core-parts",
                "Laser sources, cutting heads and CNC controllers come from named suppliers, with purchase records",
                "激光器、切割头和数控系统来自可查证的供应商，并有采购记录",
            ),
            (
                "frame-welding",
                "Machine beds are welded and stress-relieved (annealed or vibration-aged) before machining",
                "床身焊接后经退火或振动时效去应力，再进行机加工",
            ),
            (
                "laser-safety",
                "Class 4 laser areas are enclosed, interlocked and signed; operators wear rated eye protection",
                "4类激光区域封闭、联锁并有警示标识，操作人员佩戴合格的防护眼镜",
            ),
            (
                "acceptance-test",
                "Every machine passes a recorded factory acceptance test (sample cuts, positioning accuracy) before shipping",
                "每台设备出厂前通过有记录的出厂验收（试切样件、定位精度检测）",
            ),
            (
                "ce-file",
                "The CE technical file and declaration of conformity cover the machine models offered",
                "CE技术文件和符合性声明覆盖所售机型",
            ),
            (
                "after-sales",
                "After-sales engineers, a spare-parts stock and remote diagnostics are in place",
                "配备售后工程师、备件库存和远程诊断",
            ),
        ],
    },
    {
        "slug": "textiles-apparel",
        "industry_en": "Textiles and apparel",
        "industry_zh": "纺织服装",
        "points": [
            (
                "own-production",
                "Knitting or weaving, cutting, sewing and finishing happen at the audited site, not at subcontractors",
                "针织或梭织、裁剪、缝制和后整理在受审核工厂完成，未外包",
            ),
            (
                "capacity",
                "Machines and staff on the floor match the declared monthly capacity",
                "车间设备和在岗人员与申报的月产能相符",
            ),
            (
                "fabric-testing",
                "Incoming fabric is tested for colour fastness and shrinkage, with records",
                "来料面料做色牢度和缩水率检测并有记录",
            ),
            (
                "chemicals",
                "Dyes and chemicals are stored and labelled safely; the restricted substances list is followed",
                "染料和化学品安全存放并标识，执行限用物质清单",
            ),
            (
                "no-child-labour",
                "No child labour: staff ages and labour contracts checked",
                "无童工：已核查员工年龄和劳动合同",
            ),
            (
                "fire-safety",
                "Fire exits clear and marked, extinguishers inspected, wiring safe",
                "消防通道畅通且有标识，灭火器按期检查，电气线路安全",
            ),
            ("needle-control", "Broken-needle log and metal detection on finished garments", "断针记录和成衣金属检测"),
            (
                "final-inspection",
                "Final inspection to AQL 2.5 before packing, with records",
                "包装前按AQL 2.5抽检成品并有记录",
            ),
        ],
    },
    {
        "slug": "farm-produce",
        "industry_en": "Farm produce and food processing",
        "industry_zh": "农产品及食品加工",
        "points": [
            (
                "own-sourcing",
                "Produce comes from the company's own or contracted farms in the region, with planting records",
                "产品来自本地区自有或签约基地，并有种植记录",
            ),
            (
                "traceability",
                "Each carton carries a batch code traceable back to the field or orchard",
                "每箱有批次号，可追溯到田块或果园",
            ),
            (
                "residue-testing",
                "Pesticide residues tested per batch: rapid tests in house, third-party laboratory checks",
                "每批次检测农残：自检快检加第三方实验室抽检",
            ),
            (
                "food-licence",
                "A valid food production licence (SC) covers the products offered",
                "所售产品持有有效的食品生产许可证（SC）",
            ),
            (
                "hygiene",
                "Processing hall hygiene: zoning, hand washing, pest-control records",
                "加工车间卫生：分区、洗手消毒、虫害防治记录",
            ),
            ("storage", "Cold or dry stores keep temperature and humidity logs", "冷库或干库有温湿度记录"),
            (
                "foreign-matter",
                "Sorting and foreign-matter removal (colour sorter, metal detector or X-ray)",
                "分选和异物剔除（色选机、金属检测或X光机）",
            ),
        ],
    },
]

# Which checklist an audit in each belt uses.
BELT_CHECKLISTS = {
    "wuhan-laser": "laser-equipment",
    "shishi-textiles": "textiles-apparel",
    "wenzhou-menswear": "textiles-apparel",
    "huzhou-childrenswear": "textiles-apparel",
    "xinjiang-farm-produce": "farm-produce",
    "gansu-agriculture": "farm-produce",
    "ningxia-goji": "farm-produce",
}

# Issuers of the certificates below, as printed on them.
CQC = "China Quality Certification Centre (CQC)"
TUV = "TÜV SÜD Product Service GmbH"
TESTEX = "TESTEX AG (OEKO-TEX)"
CONTROL_UNION = "Control Union Certifications"
SGS = "SGS-CSTC Standards Technical Services Co., Ltd."
COFCC = "China Organic Food Certification Center (COFCC)"

# Per supplier: who represents it, where it is registered, its production sites (province: the
# belt's unless given), its certificates (dates in days from the day of the seed: `from` ago,
# `until` ahead), whether it uploaded a licence and a factory photo, and audit outcomes that are
# not "met" ({point code: (outcome, note)}). Only the demo supplier login's company has a contact
# email, so the first seed does not print a dozen certification emails.
SUPPLIER_EVIDENCE = {
    # ------------------------------------------------------------------ Wuhan laser (Hubei)
    "wuhan-guanggu-photonics": {
        "legal_representative": "张伟 (Zhang Wei)",
        "registered_address": "湖北省武汉市东湖新技术开发区高新大道 999 号 (999 Gaoxin Avenue, East Lake High-tech Zone, Wuhan)",
        "contact_email": "supplier@demo.test",
        "sites": [
            {
                "name": "Optics Valley plant / 光谷厂区",
                "city": "Wuhan 武汉",
                "address": "高新大道 999 号 1–3 号厂房 (Buildings 1–3, 999 Gaoxin Avenue)",
                "products": "Fibre laser cutting, welding and cleaning machines / 光纤激光切割机、焊接机、清洗机",
            },
            {
                "name": "Frame welding shop / 床身焊接车间",
                "city": "Ezhou 鄂州",
                "address": "鄂州市葛店开发区创业大道 18 号 (18 Chuangye Avenue, Gedian, Ezhou)",
                "products": "Welded and annealed machine beds / 焊接退火床身",
            },
        ],
        "certificates": [
            {"standard": "iso_9001", "number": "00124Q35871R1M", "issuer": CQC, "from": 420, "until": 675},
            {"standard": "ce", "number": "M8A 076281 0042 Rev. 01", "issuer": TUV, "from": 300, "until": 1160},
        ],
        "audit": {
            "after-sales": (
                "pass",
                "Engineers in Wuhan, Istanbul and São Paulo; spare parts stocked in Wuhan / 售后工程师驻武汉、伊斯坦布尔和圣保罗",
            )
        },
    },
    "wuhan-ruiguang-laser": {
        "legal_representative": "陈刚 (Chen Gang)",
        "registered_address": "湖北省武汉市东湖新技术开发区光谷三路 77 号 (77 Guanggu 3rd Road, East Lake High-tech Zone, Wuhan)",
        "sites": [
            {
                "name": "Laser source plant / 激光器工厂",
                "city": "Wuhan 武汉",
                "address": "光谷三路 77 号 (77 Guanggu 3rd Road)",
                "products": "CW and pulsed fibre laser sources, fibre splicing and burn-in / 连续和脉冲光纤激光器、光纤熔接与老化",
            },
        ],
        "certificates": [
            {"standard": "iso_9001", "number": "00123Q31190R2M", "issuer": CQC, "from": 800, "until": 295},
            {"standard": "rohs", "number": "SHES230700518301", "issuer": SGS, "from": 210, "until": 520},
        ],
    },
    "hubei-huaxin-laser-marking": {
        "legal_representative": "刘洋 (Liu Yang)",
        "registered_address": "湖北省武汉市江夏区庙山大道 36 号 (36 Miaoshan Avenue, Jiangxia District, Wuhan)",
        "sites": [
            {
                "name": "Miaoshan assembly workshop / 庙山装配车间",
                "city": "Wuhan 武汉",
                "address": "庙山大道 36 号 (36 Miaoshan Avenue)",
                "products": "Fibre, UV and CO2 laser marking machines / 光纤、紫外和CO2激光打标机",
            },
        ],
        "certificates": [
            {"standard": "ce", "number": "M8A 082114 0007 Rev. 00", "issuer": TUV, "from": 150, "until": 945},
        ],
    },
    "wuhan-jingrui-optics": {
        "legal_representative": "周静 (Zhou Jing)",
        "registered_address": "湖北省武汉市东湖新技术开发区光电工业园 5 栋 (Building 5, Optoelectronics Park, East Lake High-tech Zone, Wuhan)",
        "sites": [
            {
                "name": "Optics grinding and coating workshop / 光学研磨镀膜车间",
                "city": "Wuhan 武汉",
                "address": "光电工业园 5 栋 (Building 5, Optoelectronics Park)",
                "products": "Focusing lenses, collimators, protective windows / 聚焦镜、准直镜、保护镜片",
            },
        ],
        "certificates": [
            {"standard": "iso_9001", "number": "00125Q30412R0S", "issuer": CQC, "from": 90, "until": 1000},
        ],
    },
    # ------------------------------------------------------------------ Shishi textiles (Fujian)
    "shishi-hongxiang-textile": {
        "legal_representative": "蔡志明 (Cai Zhiming)",
        "registered_address": "福建省石狮市鸿山镇伍堡工业区 (Wubao Industrial Zone, Hongshan, Shishi)",
        "sites": [
            {
                "name": "Water-jet weaving mill / 喷水织造厂",
                "city": "Shishi 石狮",
                "address": "鸿山镇伍堡工业区 8 号 (8 Wubao Industrial Zone, Hongshan)",
                "products": "Nylon and polyester woven fabrics on 240 water-jet looms / 240台喷水织机生产锦纶、涤纶梭织面料",
            },
            {
                "name": "Coating and lamination line / 涂层复合车间",
                "city": "Shishi 石狮",
                "address": "鸿山镇伍堡工业区 8 号 (8 Wubao Industrial Zone, Hongshan)",
                "products": "PU coating, TPU lamination, DWR finishing / PU涂层、TPU复合、防泼水整理",
            },
        ],
        "certificates": [
            {"standard": "oeko_tex", "number": "SH025 189034 TESTEX", "issuer": TESTEX, "from": 200, "until": 165},
            {"standard": "iso_9001", "number": "00124Q32977R1M", "issuer": CQC, "from": 500, "until": 595},
        ],
    },
    "quanzhou-jinyu-knitting": {
        "legal_representative": "王建华 (Wang Jianhua)",
        "registered_address": "福建省石狮市鸿山镇东埔工业区 (Dongpu Industrial Zone, Hongshan, Shishi)",
        "sites": [
            {
                "name": "Hongshan integrated mill / 鸿山一体化工厂",
                "city": "Shishi 石狮",
                "address": "鸿山镇东埔工业区 21 号 (21 Dongpu Industrial Zone, Hongshan)",
                "products": "Texturing, circular knitting and dyeing of sportswear fabrics / 运动面料加弹、圆机针织和染色",
            },
        ],
        "certificates": [
            {"standard": "oeko_tex", "number": "SH025 177520 TESTEX", "issuer": TESTEX, "from": 120, "until": 245},
            {"standard": "gots", "number": "CU 1014533 GOTS-2025", "issuer": CONTROL_UNION, "from": 60, "until": 305},
        ],
        "audit": {"needle-control": ("na", "Fabric mill: no garments are sewn here / 面料厂，不缝制成衣")},
    },
    "shishi-yongda-accessories": {
        "legal_representative": "黄丽娟 (Huang Lijuan)",
        "registered_address": "福建省石狮市灵秀镇钞坑工业区 (Chaokeng Industrial Zone, Lingxiu, Shishi)",
        "sites": [
            {
                "name": "Zip and button workshop / 拉链纽扣车间",
                "city": "Shishi 石狮",
                "address": "灵秀镇钞坑工业区 3 号 (3 Chaokeng Industrial Zone, Lingxiu)",
                "products": "Zips, resin buttons, woven labels, elastic tape / 拉链、树脂纽扣、织唛、松紧带",
            },
        ],
        # Expires within 30 days: the daily job reminds the company to upload the renewal.
        "certificates": [
            {"standard": "oeko_tex", "number": "SH024 151876 TESTEX", "issuer": TESTEX, "from": 344, "until": 21},
        ],
    },
    "shishi-baofeng-dyeing": {
        "legal_representative": "许国强 (Xu Guoqiang)",
        "registered_address": "福建省石狮市祥芝镇印染园区 (Dyeing Park, Xiangzhi, Shishi)",
        "licence": False,  # a draft: the licence is not uploaded yet
        "photo": False,
        "sites": [
            {
                "name": "Xiangzhi dye house / 祥芝染厂",
                "city": "Shishi 石狮",
                "address": "祥芝镇印染园区 12 号 (12 Dyeing Park, Xiangzhi)",
                "products": "Commission dyeing and printing / 来料染色与印花",
            },
        ],
        "certificates": [],
    },
    # ------------------------------------------------------------------ Wenzhou menswear (Zhejiang)
    "wenzhou-oubo-garment": {
        "legal_representative": "郑海涛 (Zheng Haitao)",
        "registered_address": "浙江省温州市瓯海区娄桥工业园区 (Louqiao Industrial Park, Ouhai, Wenzhou)",
        "sites": [
            {
                "name": "Ouhai suit factory / 瓯海西服厂",
                "city": "Wenzhou 温州",
                "address": "娄桥工业园区 66 号 (66 Louqiao Industrial Park, Ouhai)",
                "products": "Half-canvas suits and blazers, CAD pattern room, automatic cutting / 半毛衬西服、CAD打版、自动裁床",
            },
        ],
        "certificates": [
            {"standard": "iso_9001", "number": "00124Q34420R1M", "issuer": CQC, "from": 380, "until": 715},
        ],
    },
    "wenzhou-yashi-shirts": {
        "legal_representative": "林晓东 (Lin Xiaodong)",
        "registered_address": "浙江省瑞安市塘下镇韩田工业区 (Hantian Industrial Zone, Tangxia, Rui'an)",
        "sites": [
            {
                "name": "Tangxia shirt factory / 塘下衬衫厂",
                "city": "Rui'an 瑞安",
                "address": "塘下镇韩田工业区 9 号 (9 Hantian Industrial Zone, Tangxia)",
                "products": "Men's shirts: single-needle sewing, non-iron finishing / 男式衬衫：单针缝制、免烫整理",
            },
        ],
        "certificates": [
            {"standard": "oeko_tex", "number": "SH025 190211 TESTEX", "issuer": TESTEX, "from": 40, "until": 325},
        ],
    },
    "wenzhou-jiahe-clothing": {
        "legal_representative": "潘伟 (Pan Wei)",
        "registered_address": "浙江省温州市鹿城区双屿街道 (Shuangyu Subdistrict, Lucheng, Wenzhou)",
        "sites": [
            {
                "name": "Shuangyu workshop / 双屿车间",
                "city": "Wenzhou 温州",
                "address": "双屿街道鞋都大道 218 号 (218 Xiedu Avenue, Shuangyu)",
                "products": "Men's trousers and jackets in small batches / 小批量男裤和夹克",
            },
        ],
        "certificates": [],
    },
    "wenzhou-tianyi-apparel": {
        "legal_representative": "叶晨 (Ye Chen)",
        "registered_address": "浙江省温州市龙湾区永中街道 (Yongzhong Subdistrict, Longwan, Wenzhou)",
        "sites": [
            {
                "name": "Longwan knitwear workshop / 龙湾针织车间",
                "city": "Wenzhou 温州",
                "address": "永中街道永宁西路 51 号 (51 Yongning West Road, Yongzhong)",
                "products": "Knitwear and polo shirts / 针织衫和Polo衫",
            },
        ],
        "certificates": [],
    },
    # ------------------------------------------------------------------ Huzhou childrenswear (Zhejiang)
    "huzhou-xiaomiao-garment": {
        "legal_representative": "沈佳 (Shen Jia)",
        "registered_address": "浙江省湖州市吴兴区织里镇大港路 (Dagang Road, Zhili, Wuxing, Huzhou)",
        "sites": [
            {
                "name": "Zhili dress factory / 织里童裙厂",
                "city": "Huzhou 湖州",
                "address": "织里镇大港路 1288 号 (1288 Dagang Road, Zhili)",
                "products": "Girls' dresses, ages 2–12 / 2–12岁女童连衣裙",
            },
        ],
        "certificates": [
            {"standard": "oeko_tex", "number": "SH025 184467 TESTEX", "issuer": TESTEX, "from": 95, "until": 270},
        ],
    },
    "huzhou-tongqu-childrenswear": {
        "legal_representative": "钱丽 (Qian Li)",
        "registered_address": "浙江省湖州市吴兴区织里镇珍贝路 (Zhenbei Road, Zhili, Wuxing, Huzhou)",
        "sites": [
            {
                "name": "Zhenbei Road baby-wear factory / 珍贝路婴童服装厂",
                "city": "Huzhou 湖州",
                "address": "织里镇珍贝路 388 号 (388 Zhenbei Road, Zhili)",
                "products": "Baby and toddler clothing, in-house printing / 婴幼儿服装、自有印花",
            },
        ],
        "certificates": [
            {"standard": "gots", "number": "CU 1022817 GOTS-2025", "issuer": CONTROL_UNION, "from": 130, "until": 235},
            {"standard": "oeko_tex", "number": "SH025 186005 TESTEX", "issuer": TESTEX, "from": 75, "until": 290},
        ],
        "audit": {
            "needle-control": ("pass", "Needle detector at the end of every packing line / 每条包装线末端配备检针机")
        },
    },
    "zhejiang-beibei-down": {
        "legal_representative": "吴斌 (Wu Bin)",
        "registered_address": "浙江省湖州市吴兴区织里镇利济路 (Liji Road, Zhili, Wuxing, Huzhou)",
        "sites": [
            {
                "name": "Down-filling workshop / 充绒车间",
                "city": "Huzhou 湖州",
                "address": "织里镇利济路 76 号 (76 Liji Road, Zhili)",
                "products": "Children's down jackets and padded coats / 儿童羽绒服和棉服",
            },
        ],
        "certificates": [],
    },
    "huzhou-lele-clothing": {
        "legal_representative": "孙莉 (Sun Li)",
        "registered_address": "浙江省湖州市吴兴区织里镇晟舍 (Shengshe, Zhili, Wuxing, Huzhou)",
        "licence": False,
        "photo": False,
        "sites": [
            {
                "name": "Shengshe workshop / 晟舍作坊",
                "city": "Huzhou 湖州",
                "address": "织里镇晟舍新街 15 号 (15 Shengshe New Street, Zhili)",
                "products": "Kids' pyjamas and homewear / 儿童睡衣和家居服",
            },
        ],
        "certificates": [],
    },
    # ------------------------------------------------------------------ Xinjiang farm produce
    "turpan-silk-road-raisins": {
        "legal_representative": "阿不都热依木 (Abdurehim)",
        "registered_address": "新疆吐鲁番市高昌区葡萄沟街道 (Grape Valley Subdistrict, Gaochang, Turpan)",
        "sites": [
            {
                "name": "Grape Valley drying houses and packing line / 葡萄沟晾房与包装线",
                "city": "Turpan 吐鲁番",
                "address": "高昌区葡萄沟街道 (Grape Valley, Gaochang)",
                "products": "Green and black raisins: drying, cleaning, grading, packing / 绿葡萄干、黑葡萄干：晾制、清洗、分级、包装",
            },
        ],
        "certificates": [
            {"standard": "haccp", "number": "001HACCP2400871", "issuer": CQC, "from": 260, "until": 835},
        ],
    },
    "aksu-tianshan-walnut-jujube": {
        "legal_representative": "李建国 (Li Jianguo)",
        "registered_address": "新疆阿克苏市红旗坡农场 (Hongqipo Farm, Aksu)",
        "sites": [
            {
                "name": "Hongqipo processing plant / 红旗坡加工厂",
                "city": "Aksu 阿克苏",
                "address": "红旗坡农场工业区 (Industrial zone, Hongqipo Farm)",
                "products": "Walnut hulling, drying, cracking, optical sorting; red-date grading / 核桃脱青皮、烘干、破壳、光选；红枣分级",
            },
            {
                "name": "Cold store / 冷库",
                "city": "Aksu 阿克苏",
                "address": "阿克苏市多浪物流园 (Duolang Logistics Park, Aksu)",
                "products": "Cold storage of walnuts and dates / 核桃红枣冷藏",
            },
        ],
        "certificates": [
            {"standard": "haccp", "number": "001HACCP2300412", "issuer": CQC, "from": 540, "until": 555},
            {"standard": "organic", "number": "147OP2400356", "issuer": COFCC, "from": 180, "until": 185},
        ],
        "audit": {
            "residue-testing": (
                "pass",
                "Third-party laboratory: Xinjiang Academy of Agricultural Sciences / 第三方实验室：新疆农科院",
            )
        },
    },
    "urumqi-xiyu-trading": {
        "legal_representative": "马晓燕 (Ma Xiaoyan)",
        "registered_address": "新疆乌鲁木齐市沙依巴克区友好南路 (Youhao South Road, Saybag, Urumqi)",
        # A trading company: no production of its own, only a rented packing warehouse at the
        # export port, outside the belt's region. The region check says so, and no site is verified.
        "sites": [
            {
                "name": "Rented packing warehouse / 租赁分装仓库",
                "province": "CN-JS",
                "city": "Lianyungang 连云港",
                "address": "连云港市连云区港口物流园 B3 库 (Warehouse B3, Port Logistics Park, Lianyun)",
                "products": "Repacking of almonds, apricots and figs bought from cooperatives / 分装从合作社采购的巴旦木、杏干和无花果干",
            },
        ],
        "certificates": [],
        "photo": False,
    },
    "kashgar-pamir-apricot": {
        "legal_representative": "艾合买提 (Ahmat)",
        "registered_address": "新疆喀什地区疏附县 (Shufu County, Kashgar)",
        # No factory photo yet: its verification finishes with a warning to look at.
        "photo": False,
        "sites": [
            {
                "name": "Shufu apricot plant / 疏附杏加工厂",
                "city": "Kashgar 喀什",
                "address": "疏附县工业园区 (Shufu Industrial Park)",
                "products": "Dried and pitted apricots, apricot-kernel oil / 杏干、去核杏、杏仁油",
            },
        ],
        "certificates": [
            {"standard": "haccp", "number": "001HACCP2500133", "issuer": CQC, "from": 45, "until": 1050},
        ],
    },
    # ------------------------------------------------------------------ Gansu agriculture
    "dingxi-longyuan-potato": {
        "legal_representative": "杨永刚 (Yang Yonggang)",
        "registered_address": "甘肃省定西市安定区巉口镇 (Chankou, Anding, Dingxi)",
        "sites": [
            {
                "name": "Tissue-culture lab and seed-potato farm / 组培中心与种薯基地",
                "city": "Dingxi 定西",
                "address": "安定区巉口镇 (Chankou, Anding)",
                "products": "Virus-free seed potatoes / 脱毒种薯",
            },
            {
                "name": "Starch and flake plant / 淀粉与全粉厂",
                "city": "Dingxi 定西",
                "address": "安定区工业园区 (Anding Industrial Park)",
                "products": "Potato starch and flakes / 马铃薯淀粉和全粉",
            },
        ],
        "certificates": [
            {"standard": "haccp", "number": "001HACCP2400219", "issuer": CQC, "from": 330, "until": 765},
            {"standard": "iso_9001", "number": "00124Q36631R0M", "issuer": CQC, "from": 330, "until": 765},
        ],
        "audit": {
            "storage": (
                "fail",
                "Humidity log missing for two weeks in the flake store; corrective action agreed / 全粉库两周湿度记录缺失，已确认整改",
            )
        },
    },
    "tianshui-huaniu-apple": {
        "legal_representative": "赵红梅 (Zhao Hongmei)",
        "registered_address": "甘肃省天水市麦积区花牛镇 (Huaniu, Maiji, Tianshui)",
        "sites": [
            {
                "name": "Huaniu orchards and CA store / 花牛果园与气调库",
                "city": "Tianshui 天水",
                "address": "麦积区花牛镇 (Huaniu, Maiji)",
                "products": "Huaniu apples: controlled-atmosphere storage, grading / 花牛苹果：气调贮藏、分级",
            },
        ],
        "certificates": [
            {"standard": "haccp", "number": "001HACCP2400655", "issuer": CQC, "from": 210, "until": 885},
        ],
    },
    "lanzhou-qilian-lily-herb": {
        "legal_representative": "马俊 (Ma Jun)",
        "registered_address": "甘肃省兰州市七里河区西果园镇 (Xiguoyuan, Qilihe, Lanzhou)",
        "sites": [
            {
                "name": "Xiguoyuan lily farm and drying hall / 西果园百合基地与烘干车间",
                "city": "Lanzhou 兰州",
                "address": "七里河区西果园镇 (Xiguoyuan, Qilihe)",
                "products": "Fresh and dried Lanzhou lily; angelica and codonopsis slices / 兰州百合鲜品和干片；当归、党参切片",
            },
        ],
        "certificates": [],
    },
    "gansu-hexi-seed": {
        "legal_representative": "张磊 (Zhang Lei)",
        "registered_address": "甘肃省张掖市甘州区 (Ganzhou, Zhangye)",
        "licence": False,
        "photo": False,
        "sites": [
            {
                "name": "Ganzhou seed farm / 甘州制种基地",
                "city": "Zhangye 张掖",
                "address": "甘州区党寨镇 (Dangzhai, Ganzhou)",
                "products": "Hybrid maize and vegetable seed / 杂交玉米和蔬菜种子",
            },
        ],
        "certificates": [],
    },
    # ------------------------------------------------------------------ Ningxia goji
    "zhongning-qiyuan-goji": {
        "legal_representative": "丁文 (Ding Wen)",
        "registered_address": "宁夏中卫市中宁县宁安镇 (Ning'an, Zhongning, Zhongwei)",
        "sites": [
            {
                "name": "Zhongning goji farm and drying plant / 中宁枸杞基地与烘干厂",
                "city": "Zhongning 中宁",
                "address": "中宁县宁安镇枸杞产业园 (Goji Industrial Park, Ning'an)",
                "products": "Red and black goji: drying, grading, packing / 红枸杞、黑枸杞：烘干、分级、包装",
            },
        ],
        "certificates": [
            {"standard": "organic", "number": "147OP2400598", "issuer": COFCC, "from": 150, "until": 215},
            {"standard": "haccp", "number": "001HACCP2400730", "issuer": CQC, "from": 150, "until": 945},
        ],
    },
    "ningxia-hongqi-biotech": {
        "legal_representative": "高峰 (Gao Feng)",
        "registered_address": "宁夏银川市西夏区经济开发区 (Xixia Economic Development Zone, Yinchuan)",
        "sites": [
            {
                "name": "Yinchuan GMP plant / 银川GMP工厂",
                "city": "Yinchuan 银川",
                "address": "西夏区经济开发区宝湖路 10 号 (10 Baohu Road, Xixia EDZ)",
                "products": "NFC goji juice, freeze-dried powder, polysaccharide extract, seed oil / NFC枸杞原浆、冻干粉、多糖提取物、籽油",
            },
        ],
        "certificates": [
            {"standard": "iso_9001", "number": "00124Q33058R1M", "issuer": CQC, "from": 460, "until": 635},
            {"standard": "haccp", "number": "001HACCP2400508", "issuer": CQC, "from": 460, "until": 635},
        ],
    },
    "ningxia-shahu-farm-produce": {
        "legal_representative": "白永福 (Bai Yongfu)",
        "registered_address": "宁夏中卫市沙坡头区香山乡 (Xiangshan, Shapotou, Zhongwei)",
        "sites": [
            {
                "name": "Xiangshan melon fields and rice mill / 香山压砂瓜田与米厂",
                "city": "Zhongwei 中卫",
                "address": "沙坡头区香山乡 (Xiangshan, Shapotou)",
                "products": "Selenium-sand watermelons, japonica rice, millet / 硒砂瓜、粳米、小米",
            },
        ],
        "certificates": [],
    },
    "helan-mountain-winery": {
        "legal_representative": "王志远 (Wang Zhiyuan)",
        "registered_address": "宁夏银川市西夏区镇北堡镇 (Zhenbeibu, Xixia, Yinchuan)",
        "sites": [
            {
                "name": "Helan Mountain estate and cellar / 贺兰山酒庄与酒窖",
                "city": "Yinchuan 银川",
                "address": "西夏区镇北堡镇贺兰山东麓 (Eastern foothills of the Helan Mountains, Zhenbeibu)",
                "products": "Cabernet Sauvignon and Marselan wines / 赤霞珠和马瑟兰葡萄酒",
            },
        ],
        "certificates": [],
    },
}

# ------------------------------------------------------------------------------------------------
# What a buyer reads on each listing page beyond price and MOQ, by the supplier's SKU: the
# specification table (name in English and Chinese, one value), variants (size, colour, model;
# `moq` only where a variant has its own minimum), how the MOQ counts (`moq_mode`: "mixed", the
# default, or "per_variant"), carton packs (`order_multiple`, which the MOQ, the variant MOQs and
# the tier quantities are multiples of), OEM / ODM, customisation (English, Chinese), whether the
# sample fee is credited on the bulk order, and the production site (a name from the supplier's
# `sites`; the first site when left out). Variant colours carry both languages, as Chinese
# wholesale catalogues print them.
# ------------------------------------------------------------------------------------------------

VOLTAGES = [
    {"model": "380 V 3-phase / 三相380V"},
    {"model": "220 V 1-phase / 单相220V"},
]

LISTING_DETAILS: dict[str, dict] = {
    # ------------------------------------------------------------- Wuhan Guanggu Photonics
    "GG-FC3015-3K": {
        "specs": [
            ("Laser power", "激光功率", "3 kW"),
            ("Working area", "加工幅面", "3000 × 1500 mm"),
            ("Max. cutting thickness", "最大切割厚度", "20 mm mild steel / 10 mm stainless"),
            ("Positioning accuracy", "定位精度", "±0.03 mm"),
            ("Max. travel speed", "最大空移速度", "100 m/min"),
            ("Control system", "控制系统", "CypCut FSCUT2000"),
            ("Cutting head", "切割头", "Auto-focus, Raytools BM110"),
            ("Machine weight", "整机重量", "3.8 t"),
        ],
        "variants": VOLTAGES,
        "oem": True,
        "customisation": (
            "Your logo on the gantry and control cabinet, cabinet colour, laser source brand (Raycus, Max, IPG)",
            "龙门和电柜可印客户logo，电柜颜色可选，激光器品牌可选（锐科、创鑫、IPG）",
        ),
        "site": "Optics Valley plant / 光谷厂区",
    },
    "GG-FC4020-6K-EX": {
        "specs": [
            ("Laser power", "激光功率", "6 kW"),
            ("Working area", "加工幅面", "4000 × 2000 mm"),
            ("Max. cutting thickness", "最大切割厚度", "25 mm mild steel / 20 mm stainless"),
            ("Table exchange time", "交换台时间", "15 s"),
            ("Positioning accuracy", "定位精度", "±0.03 mm"),
            ("Enclosure", "防护", "Full cabin, laser-safe window (OD 6+)"),
            ("Control system", "控制系统", "CypCut FSCUT4000E"),
        ],
        "oem": True,
        "odm": True,
        "customisation": (
            "Bed sizes from 3015 to 6025, automatic loading, your logo and colours",
            "床身3015至6025可选，可配自动上下料，可定制logo和颜色",
        ),
    },
    "GG-TC6020-3K": {
        "specs": [
            ("Laser power", "激光功率", "3 kW"),
            ("Tube length", "管材长度", "6 m"),
            ("Tube diameter", "管径范围", "20–220 mm round, 20 × 20–150 × 150 mm square"),
            ("Chucks", "卡盘", "Pneumatic, front and rear"),
            ("Max. rotation speed", "最大转速", "120 r/min"),
            ("Loading", "上料方式", "Semi-automatic rack"),
        ],
        "oem": True,
    },
    "GG-HW1500": {
        "specs": [
            ("Laser power", "激光功率", "1500 W"),
            ("Welding thickness", "焊接厚度", "0.5–4 mm"),
            ("Cooling", "冷却方式", "Air-cooled"),
            ("Wire feeder", "送丝机", "Single wire, 0.8–1.6 mm"),
            ("Fibre cable length", "光纤长度", "10 m"),
            ("Machine weight", "整机重量", "68 kg"),
        ],
        "variants": [
            {"colour": "Signal white / 信号白", "model": "220 V 1-phase / 单相220V"},
            {"colour": "Graphite grey / 石墨灰", "model": "220 V 1-phase / 单相220V"},
            {"colour": "Signal white / 信号白", "model": "110 V (US) / 110V美规"},
        ],
        "oem": True,
        "customisation": (
            "Your logo and colour on the cabinet from 5 sets",
            "5台起可定制机箱logo和颜色",
        ),
    },
    "GG-LC200P": {
        "specs": [
            ("Laser power", "激光功率", "200 W pulsed"),
            ("Pulse energy", "单脉冲能量", "2 mJ"),
            ("Cleaning width", "清洗宽度", "10–150 mm"),
            ("Cleaning speed", "清洗效率", "up to 12 m²/h"),
            ("Cooling", "冷却方式", "Air-cooled"),
            ("Weight", "重量", "55 kg, trolley case"),
        ],
        "oem": True,
    },
    # ------------------------------------------------------------- Wuhan Ruiguang Laser
    "RG-CW1500": {
        "specs": [
            ("Output power", "输出功率", "1500 W"),
            ("Wavelength", "中心波长", "1080 ± 5 nm"),
            ("Power stability", "功率稳定性", "< ±1.5 %"),
            ("Output connector", "输出接头", "QBH"),
            ("Delivery cable", "传输光缆", "20 m armoured"),
            ("Cooling", "冷却方式", "Water, 25 ± 1 °C"),
            ("Burn-in", "老化测试", "48 h before shipping"),
        ],
        "oem": True,
        "customisation": ("Private-label front panel from 20 units", "20台起可做贴牌面板"),
    },
    "RG-CW3000": {
        "specs": [
            ("Output power", "输出功率", "3000 W"),
            ("Wavelength", "中心波长", "1080 ± 5 nm"),
            ("Power stability", "功率稳定性", "< ±1.5 %"),
            ("Beam quality", "光束质量", "M² < 1.3"),
            ("Output connector", "输出接头", "QBH"),
            ("Delivery cable", "传输光缆", "20 m armoured"),
            ("Cooling", "冷却方式", "Water, 25 ± 1 °C"),
        ],
        "oem": True,
        "customisation": ("Private-label front panel from 20 units", "20台起可做贴牌面板"),
    },
    "RG-QP20": {
        "specs": [
            ("Average power", "平均功率", "20 W"),
            ("Pulse energy", "单脉冲能量", "0.8 mJ"),
            ("Repetition rate", "重复频率", "20–80 kHz"),
            ("Beam quality", "光束质量", "M² < 1.5"),
            ("Cooling", "冷却方式", "Air-cooled"),
        ],
        "sample_fee_credited": True,
        "oem": True,
    },
    "RG-MOPA60": {
        "specs": [
            ("Average power", "平均功率", "60 W"),
            ("Pulse width", "脉宽", "2–500 ns adjustable"),
            ("Repetition rate", "重复频率", "1–4000 kHz"),
            ("Beam quality", "光束质量", "M² < 1.6"),
            ("Cooling", "冷却方式", "Air-cooled"),
        ],
        "sample_fee_credited": True,
        "oem": True,
    },
    "RG-PW30x5": {
        "specs": [
            ("Size", "尺寸", "Ø30 × 5 mm"),
            ("Material", "材质", "JGS1 fused silica"),
            ("Coating", "镀膜", "AR, 1064 nm, R < 0.2 %"),
            ("Surface quality", "表面质量", "40-20 scratch-dig"),
        ],
        "variants": [
            {"size": "Ø27.9 × 4.1 mm"},
            {"size": "Ø30 × 5 mm"},
            {"size": "Ø37 × 7 mm"},
        ],
        "order_multiple": 10,
        "sample_fee_credited": True,
        "customisation": ("Other diameters and thicknesses on drawing", "可按图纸定制其他直径和厚度"),
    },
    # ------------------------------------------------------------- Hubei Huaxin Laser Marking
    "HX-FM30-D": {
        "specs": [
            ("Laser power", "激光功率", "30 W fibre (Raycus)"),
            ("Marking area", "打标范围", "110 × 110 mm (150, 200, 300 optional)"),
            ("Marking speed", "打标速度", "≤ 7000 mm/s"),
            ("Rotary axis", "旋转轴", "D80 chuck included"),
            ("Software", "软件", "EZCAD 2"),
        ],
        "variants": [{"model": "Desktop / 台式"}, {"model": "Split / 分体式"}],
        "oem": True,
    },
    "HX-UV5": {
        "specs": [
            ("Laser power", "激光功率", "5 W UV, 355 nm"),
            ("Marking area", "打标范围", "110 × 110 mm"),
            ("Min. line width", "最小线宽", "0.01 mm"),
            ("Cooling", "冷却方式", "Water chiller"),
        ],
        "oem": True,
    },
    "HX-CO2-60": {
        "specs": [
            ("Laser power", "激光功率", "60 W CO2 RF tube"),
            ("Marking area", "打标范围", "300 × 300 mm"),
            ("Marking speed", "打标速度", "≤ 10000 mm/s"),
            ("Materials", "适用材料", "Wood, leather, paper, acrylic"),
        ],
        "oem": True,
    },
    "HX-HH20": {
        "specs": [
            ("Laser power", "激光功率", "20 W fibre"),
            ("Marking area", "打标范围", "70 × 70 mm"),
            ("Battery", "电池", "Lithium, 4 h"),
            ("Weight", "重量", "3.5 kg handheld head"),
        ],
        "oem": True,
    },
    # ------------------------------------------------------------- Shishi Hongxiang Textile
    "HX-228T-TASLAN": {
        "specs": [
            ("Composition", "成分", "100 % nylon 6"),
            ("Yarn count", "纱支", "70D × 160D ATY"),
            ("Width", "门幅", "150 cm"),
            ("Weight", "克重", "110 g/m²"),
            ("Finish", "后整理", "DWR water-repellent, calendered"),
            ("Roll length", "卷长", "100 m"),
        ],
        "variants": [
            {"colour": "Black / 黑色"},
            {"colour": "Navy / 藏青"},
            {"colour": "Olive / 橄榄绿"},
            {"colour": "Khaki / 卡其"},
        ],
        "moq_mode": "per_variant",
        "order_multiple": 100,
        "oem": True,
        "customisation": ("Lab-dip to your Pantone colour in 5 days", "按潘通色号打样，5天出色卡"),
        "sample_fee_credited": True,
        "site": "Water-jet weaving mill / 喷水织造厂",
    },
    "HX-300T-PONGEE-PU": {
        "specs": [
            ("Composition", "成分", "100 % polyester"),
            ("Yarn count", "纱支", "50D × 50D"),
            ("Width", "门幅", "150 cm"),
            ("Weight", "克重", "68 g/m²"),
            ("Coating", "涂层", "White PU, 2000 mm hydrostatic head"),
            ("Roll length", "卷长", "100 m"),
        ],
        "variants": [{"colour": "Black / 黑色"}, {"colour": "Navy / 藏青"}, {"colour": "Red / 红色"}],
        "moq_mode": "per_variant",
        "order_multiple": 100,
        "oem": True,
        "sample_fee_credited": True,
        "site": "Coating and lamination line / 涂层复合车间",
    },
    "HX-CT-16x12": {
        "specs": [
            ("Composition", "成分", "100 % cotton"),
            ("Construction", "密度", "16 × 12 / 108 × 56"),
            ("Weave", "组织", "3/1 twill"),
            ("Weight", "克重", "280 g/m²"),
            ("Width", "门幅", "148 cm"),
            ("Shrinkage", "缩水率", "≤ 3 % (pre-shrunk)"),
        ],
        "variants": [
            {"colour": "Stone / 石色"},
            {"colour": "Navy / 藏青"},
            {"colour": "Black / 黑色"},
            {"colour": "Olive / 橄榄绿"},
        ],
        "moq_mode": "per_variant",
        "order_multiple": 50,
        "oem": True,
        "site": "Water-jet weaving mill / 喷水织造厂",
    },
    "HX-SS3L-TPU": {
        "specs": [
            ("Construction", "结构", "Polyester stretch face / TPU membrane / micro-fleece back"),
            ("Waterproof", "防水", "10000 mm"),
            ("Breathability", "透湿", "5000 g/m²/24 h"),
            ("Weight", "克重", "320 g/m²"),
            ("Width", "门幅", "145 cm"),
        ],
        "variants": [{"colour": "Black / 黑色"}, {"colour": "Charcoal / 炭灰"}, {"colour": "Royal blue / 宝蓝"}],
        "moq_mode": "per_variant",
        "order_multiple": 50,
        "oem": True,
        "odm": True,
        "customisation": ("Face fabric, membrane and backing to your brief", "面料、膜和里层可按需求开发"),
        "site": "Coating and lamination line / 涂层复合车间",
    },
    # ------------------------------------------------------------- Quanzhou Jinyu Knitting
    "JY-INT180": {
        "specs": [
            ("Composition", "成分", "100 % polyester"),
            ("Weight", "克重", "180 g/m²"),
            ("Width", "门幅", "170 cm"),
            ("Finish", "后整理", "Wicking, quick-dry, anti-odour"),
            ("Roll weight", "卷重", "≈ 25 kg"),
        ],
        "variants": [
            {"colour": "White / 白色"},
            {"colour": "Black / 黑色"},
            {"colour": "Royal blue / 宝蓝"},
            {"colour": "Neon yellow / 荧光黄", "moq": 1000},
        ],
        "moq_mode": "per_variant",
        "order_multiple": 25,
        "oem": True,
        "customisation": (
            "Sublimation-ready white, any Pantone colour from 500 kg",
            "可供热转印白坯，500公斤起可染任意潘通色",
        ),
    },
    "JY-CSJ200": {
        "specs": [
            ("Composition", "成分", "95 % cotton, 5 % spandex"),
            ("Weight", "克重", "200 g/m²"),
            ("Width", "门幅", "160 cm"),
            ("Yarn", "纱线", "32s combed cotton"),
            ("Roll weight", "卷重", "≈ 25 kg"),
        ],
        "variants": [{"colour": "White / 白色"}, {"colour": "Black / 黑色"}, {"colour": "Heather grey / 麻灰"}],
        "moq_mode": "per_variant",
        "order_multiple": 25,
        "oem": True,
    },
    "JY-PF280": {
        "specs": [
            ("Composition", "成分", "100 % polyester"),
            ("Weight", "克重", "280 g/m²"),
            ("Width", "门幅", "160 cm"),
            ("Finish", "后整理", "Double-sided brushed, anti-pill grade 4"),
        ],
        "variants": [{"colour": "Black / 黑色"}, {"colour": "Navy / 藏青"}, {"colour": "Camel / 驼色"}],
        "moq_mode": "per_variant",
        "order_multiple": 25,
        "oem": True,
    },
    "JY-RDTY150": {
        "specs": [
            ("Count", "规格", "150D/48F"),
            ("Type", "类型", "Draw-textured yarn, SIM"),
            ("Recycled content", "再生含量", "100 % post-consumer PET (GRS)"),
            ("Tenacity", "强度", "≥ 3.8 cN/dtex"),
            ("Packing", "包装", "Paper cones in 20 kg cartons"),
        ],
        "variants": [{"colour": "Raw white / 本白"}, {"colour": "Dope-dyed black / 原液黑"}],
        "order_multiple": 20,
        "oem": True,
    },
    # ------------------------------------------------------------- Shishi Yongda Accessories
    "YD-NZ5-OE": {
        "specs": [
            ("Type", "类型", "#5 nylon coil, open-end"),
            ("Slider", "拉头", "Auto-lock, zinc alloy"),
            ("Tape", "布带", "Polyester, 32 mm"),
            ("Tests", "检测", "OEKO-TEX Standard 100, nickel-free"),
        ],
        "variants": [
            {"size": "40 cm", "colour": "Black / 黑色"},
            {"size": "60 cm", "colour": "Black / 黑色"},
            {"size": "80 cm", "colour": "Black / 黑色"},
            {"size": "60 cm", "colour": "Navy / 藏青"},
        ],
        "moq_mode": "per_variant",
        "order_multiple": 100,
        "oem": True,
        "customisation": ("Your logo on the puller from 3,000 pieces", "3000条起可定制拉片logo"),
    },
    "YD-RB20L": {
        "specs": [
            ("Size", "尺寸", "20L (12.5 mm)"),
            ("Material", "材质", "Polyester resin"),
            ("Holes", "孔数", "4"),
            ("Packing", "包装", "1,000 per bag"),
        ],
        "variants": [{"colour": "White / 白色"}, {"colour": "Ivory / 象牙白"}, {"colour": "Black / 黑色"}],
        "moq_mode": "per_variant",
        "order_multiple": 1000,
        "oem": True,
    },
    "YD-WL-DAMASK": {
        "specs": [
            ("Weave", "织法", "High-density damask"),
            ("Fold", "折法", "Straight cut, centre fold or end fold"),
            ("Edge", "边型", "Ultrasonic or heat cut"),
            ("Colours", "颜色", "Up to 8 per design"),
        ],
        "order_multiple": 500,
        "oem": True,
        "odm": True,
        "customisation": ("Your artwork; free digital proof in 24 h", "按客户图稿生产，24小时内免费出电子稿"),
    },
    "YD-EL30": {
        "specs": [
            ("Width", "宽度", "30 mm"),
            ("Composition", "成分", "Polyester 70 %, rubber 30 %"),
            ("Stretch", "拉伸率", "180 %"),
            ("Roll length", "卷长", "50 m"),
        ],
        "variants": [{"colour": "White / 白色"}, {"colour": "Black / 黑色"}],
        "moq_mode": "per_variant",
        "order_multiple": 50,
        "oem": True,
    },
    # ------------------------------------------------------------- Wenzhou Oubo Garment
    "OB-S2P-WB": {
        "specs": [
            ("Fabric", "面料", "70 % wool, 30 % polyester, 260 g/m²"),
            ("Lining", "里料", "Viscose"),
            ("Fit", "版型", "Slim"),
            ("Sizes", "尺码", "EU 46–56, drop 6"),
            ("Construction", "工艺", "Half-canvas, hand-set sleeves"),
        ],
        "variants": [
            {"colour": "Navy / 藏青", "size": "EU 46–56"},
            {"colour": "Charcoal / 炭灰", "size": "EU 46–56"},
            {"colour": "Black / 黑色", "size": "EU 46–56"},
        ],
        "order_multiple": 10,
        "oem": True,
        "odm": True,
        "customisation": (
            "Your labels, lining and buttons; size ratio to your order",
            "可定制主标、里布和纽扣，尺码配比按订单",
        ),
    },
    "OB-S3P-WED": {
        "specs": [
            ("Fabric", "面料", "Wool-blend, 280 g/m²"),
            ("Pieces", "件数", "Jacket, waistcoat, trousers"),
            ("Sizes", "尺码", "EU 44–58"),
            ("Construction", "工艺", "Half-canvas"),
        ],
        "variants": [
            {"colour": "Midnight blue / 午夜蓝"},
            {"colour": "Burgundy / 酒红"},
            {"colour": "Light grey / 浅灰"},
        ],
        "order_multiple": 10,
        "oem": True,
        "odm": True,
    },
    "OB-BZ-CL": {
        "specs": [
            ("Fabric", "面料", "55 % linen, 45 % cotton"),
            ("Structure", "结构", "Unstructured, half-lined"),
            ("Sizes", "尺码", "S–XXL"),
        ],
        "variants": [{"colour": "Sand / 沙色"}, {"colour": "Sky blue / 天蓝"}, {"colour": "Olive / 橄榄绿"}],
        "order_multiple": 10,
        "oem": True,
    },
    "OB-OEM-BS": {
        "specs": [
            ("Fabric", "面料", "Your fabric or ours (polyester-viscose to pure wool)"),
            ("Sizes", "尺码", "EU 44–60 or your size chart"),
            ("Pattern", "版型", "Your pattern or ours, graded in-house"),
            ("Sample time", "打样时间", "7 days"),
        ],
        "order_multiple": 10,
        "oem": True,
        "odm": True,
        "customisation": (
            "Full private label: fabric, lining, buttons, labels, hangers and garment bags",
            "全套贴牌：面料、里布、纽扣、商标、衣架和防尘袋",
        ),
        "sample_fee_credited": True,
    },
    # ------------------------------------------------------------- Wenzhou Yashi Shirts
    "YS-NI-80S": {
        "specs": [
            ("Fabric", "面料", "100 % cotton, 80s/2 twill"),
            ("Finish", "后整理", "Non-iron (DP 3.5)"),
            ("Collar", "领型", "Semi-spread, fused"),
            ("Sizes", "尺码", "Collar 38–46 cm"),
            ("Packing", "包装", "Folded, 50 per carton"),
        ],
        "variants": [
            {"colour": "White / 白色"},
            {"colour": "Light blue / 浅蓝"},
            {"colour": "Pink / 粉色"},
            {"colour": "Blue stripe / 蓝条"},
        ],
        "moq_mode": "per_variant",
        "order_multiple": 50,
        "oem": True,
        "customisation": ("Your labels, buttons and packaging", "可定制商标、纽扣和包装"),
    },
    "YS-OX-BD": {
        "specs": [
            ("Fabric", "面料", "100 % cotton Oxford, 40s"),
            ("Collar", "领型", "Button-down"),
            ("Fit", "版型", "Regular or slim"),
            ("Sizes", "尺码", "S–XXL"),
        ],
        "variants": [{"colour": "White / 白色"}, {"colour": "Light blue / 浅蓝"}, {"colour": "Pink / 粉色"}],
        "moq_mode": "per_variant",
        "order_multiple": 50,
        "oem": True,
    },
    "YS-LN-SS": {
        "specs": [
            ("Fabric", "面料", "100 % linen, 21s"),
            ("Sleeve", "袖型", "Short"),
            ("Sizes", "尺码", "S–XXL"),
        ],
        "variants": [{"colour": "White / 白色"}, {"colour": "Sand / 沙色"}, {"colour": "Sage / 灰绿"}],
        "order_multiple": 50,
        "oem": True,
    },
    "YS-BB-STR": {
        "specs": [
            ("Fabric", "面料", "60 % bamboo viscose, 35 % cotton, 5 % spandex"),
            ("Fit", "版型", "Slim"),
            ("Sizes", "尺码", "Collar 38–45 cm"),
        ],
        "variants": [{"colour": "White / 白色"}, {"colour": "Light blue / 浅蓝"}],
        "moq_mode": "per_variant",
        "order_multiple": 50,
        "oem": True,
    },
    # ------------------------------------------------------------- Wenzhou Jiahe Clothing
    "JH-CH-STR": {
        "specs": [
            ("Fabric", "面料", "97 % cotton, 3 % spandex twill, 270 g/m²"),
            ("Fit", "版型", "Slim tapered"),
            ("Sizes", "尺码", "Waist 29–38"),
        ],
        "variants": [{"colour": "Khaki / 卡其"}, {"colour": "Navy / 藏青"}, {"colour": "Black / 黑色"}],
        "order_multiple": 20,
        "oem": True,
    },
    "JH-FT-WB": {
        "specs": [
            ("Fabric", "面料", "50 % wool, 50 % polyester"),
            ("Waistband", "腰头", "Adjustable side tabs"),
            ("Sizes", "尺码", "EU 46–56"),
        ],
        "variants": [{"colour": "Charcoal / 炭灰"}, {"colour": "Navy / 藏青"}],
        "order_multiple": 20,
        "oem": True,
    },
    "JH-OC-WB": {
        "specs": [
            ("Fabric", "面料", "60 % wool, 40 % polyester, 550 g/m²"),
            ("Length", "衣长", "Knee length"),
            ("Sizes", "尺码", "S–XXL"),
        ],
        "variants": [{"colour": "Camel / 驼色"}, {"colour": "Charcoal / 炭灰"}, {"colour": "Black / 黑色"}],
        "order_multiple": 10,
        "oem": True,
    },
    "JH-PJ-LW": {
        "specs": [
            ("Shell", "面料", "20D nylon, DWR"),
            ("Padding", "填充", "80 g/m² polyester wadding"),
            ("Packable", "收纳", "Into its own pocket"),
            ("Sizes", "尺码", "S–XXL"),
        ],
        "variants": [{"colour": "Black / 黑色"}, {"colour": "Navy / 藏青"}, {"colour": "Olive / 橄榄绿"}],
        "order_multiple": 20,
        "oem": True,
    },
    # ------------------------------------------------------------- Huzhou Xiaomiao Garment
    "XM-DR-FLR": {
        "specs": [
            ("Fabric", "面料", "100 % cotton poplin, 120 g/m²"),
            ("Lining", "里料", "Cotton"),
            ("Tests", "检测", "GB 31701 class A, EN 14682 cords"),
        ],
        "variants": [
            {"size": "3–4 Y (110)", "colour": "Pink floral / 粉色碎花"},
            {"size": "5–6 Y (120)", "colour": "Pink floral / 粉色碎花"},
            {"size": "7–8 Y (130)", "colour": "Pink floral / 粉色碎花"},
            {"size": "3–4 Y (110)", "colour": "Yellow floral / 黄色碎花"},
            {"size": "5–6 Y (120)", "colour": "Yellow floral / 黄色碎花"},
            {"size": "7–8 Y (130)", "colour": "Yellow floral / 黄色碎花"},
        ],
        "order_multiple": 10,
        "oem": True,
        "odm": True,
        "customisation": ("Your print and labels from 300 pieces", "300件起可定制印花和商标"),
    },
    "XM-DR-TUL": {
        "specs": [
            ("Fabric", "面料", "Tulle over satin, cotton lining"),
            ("Closure", "闭合", "Concealed back zip"),
            ("Tests", "检测", "GB 31701 class B"),
        ],
        "variants": [
            {"size": "3–4 Y (110)", "colour": "Blush / 浅粉"},
            {"size": "5–6 Y (120)", "colour": "Blush / 浅粉"},
            {"size": "7–8 Y (130)", "colour": "Blush / 浅粉"},
            {"size": "5–6 Y (120)", "colour": "Ivory / 象牙白"},
        ],
        "order_multiple": 10,
        "oem": True,
        "odm": True,
    },
    "XM-DR-KNT": {
        "specs": [
            ("Yarn", "纱线", "70 % cotton, 30 % acrylic"),
            ("Gauge", "针型", "12 gauge"),
            ("Tests", "检测", "GB 31701 class B"),
        ],
        "variants": [
            {"size": "3–4 Y (110)"},
            {"size": "5–6 Y (120)"},
            {"size": "7–8 Y (130)"},
        ],
        "order_multiple": 10,
        "oem": True,
    },
    "XM-DR-DNM": {
        "specs": [
            ("Fabric", "面料", "100 % cotton denim, 8 oz"),
            ("Wash", "水洗", "Enzyme stone wash"),
            ("Tests", "检测", "GB 31701 class B"),
        ],
        "variants": [{"size": "3–4 Y (110)"}, {"size": "5–6 Y (120)"}, {"size": "7–8 Y (130)"}],
        "order_multiple": 20,
        "oem": True,
    },
    # ------------------------------------------------------------- Huzhou Tongqu Childrenswear
    "TQ-TS-2P": {
        "specs": [
            ("Fabric", "面料", "80 % cotton, 20 % polyester fleece, 280 g/m²"),
            ("Set", "套装", "Zip hoodie and joggers"),
            ("Sizes", "尺码", "100–150 cm"),
            ("Tests", "检测", "GB 31701 class B, EN 14682"),
        ],
        "variants": [
            {"colour": "Heather grey / 麻灰", "size": "100–150 cm"},
            {"colour": "Navy / 藏青", "size": "100–150 cm"},
            {"colour": "Dusty pink / 脏粉", "size": "100–150 cm"},
        ],
        "moq_mode": "per_variant",
        "order_multiple": 20,
        "oem": True,
        "odm": True,
        "customisation": ("Your embroidery or print, labels and polybags", "可定制刺绣或印花、商标和胶袋"),
    },
    "TQ-RP-ORG": {
        "specs": [
            ("Fabric", "面料", "100 % organic cotton interlock (GOTS)"),
            ("Closure", "闭合", "Nickel-free snaps"),
            ("Tests", "检测", "GB 31701 class A, OEKO-TEX Standard 100"),
        ],
        "variants": [
            {"size": "0–3 M"},
            {"size": "3–6 M"},
            {"size": "6–12 M"},
            {"size": "12–24 M"},
        ],
        "order_multiple": 10,
        "oem": True,
        "sample_fee_credited": True,
    },
    "TQ-TS-SUM": {
        "specs": [
            ("Fabric", "面料", "100 % cotton jersey, 160 g/m²"),
            ("Set", "套装", "T-shirt and shorts"),
            ("Sizes", "尺码", "100–140 cm"),
        ],
        "variants": [{"colour": "White-navy / 白配藏青"}, {"colour": "Yellow-grey / 黄配灰"}],
        "order_multiple": 20,
        "oem": True,
    },
    "TQ-SB-25T": {
        "specs": [
            ("Warmth", "保暖", "2.5 TOG"),
            ("Shell", "面料", "100 % cotton"),
            ("Filling", "填充", "Polyester wadding"),
            ("Tests", "检测", "BS 8510, GB 31701 class A"),
        ],
        "variants": [{"size": "0–6 M"}, {"size": "6–18 M"}, {"size": "18–36 M"}],
        "order_multiple": 20,
        "oem": True,
    },
    # ------------------------------------------------------------- Zhejiang Beibei Down
    "BB-DJ-90": {
        "specs": [
            ("Filling", "填充", "90 % white duck down, 10 % feather"),
            ("Fill power", "蓬松度", "650"),
            ("Shell", "面料", "Nylon, DWR"),
            ("Sizes", "尺码", "110–160 cm"),
        ],
        "variants": [{"colour": "Red / 红色"}, {"colour": "Navy / 藏青"}, {"colour": "Black / 黑色"}],
        "order_multiple": 20,
        "oem": True,
    },
    "BB-PV-LW": {
        "specs": [
            ("Padding", "填充", "Polyester wadding, 100 g/m²"),
            ("Shell", "面料", "Nylon ripstop"),
            ("Sizes", "尺码", "110–160 cm"),
        ],
        "variants": [{"colour": "Navy / 藏青"}, {"colour": "Pink / 粉色"}],
        "order_multiple": 20,
        "oem": True,
    },
    "BB-WB-WP": {
        "specs": [
            ("Waterproof", "防水", "5000 mm, taped seams"),
            ("Lining", "里料", "Polar fleece"),
            ("Sizes", "尺码", "110–160 cm"),
        ],
        "variants": [{"colour": "Yellow / 黄色"}, {"colour": "Navy / 藏青"}],
        "order_multiple": 20,
        "oem": True,
    },
    # ------------------------------------------------------------- Turpan Silk Road Raisins
    "SR-GR-A": {
        "specs": [
            ("Variety", "品种", "Thompson seedless"),
            ("Grade", "等级", "A, 280–320 berries / 100 g"),
            ("Moisture", "水分", "≤ 15 %"),
            ("Drying", "干制", "Shade-dried in traditional drying houses"),
            ("Shelf life", "保质期", "18 months"),
            ("Packing", "包装", "10 kg cartons"),
        ],
        "order_multiple": 10,
        "oem": True,
        "customisation": ("Retail packs from 200 g with your label", "可做200克起零售包装，贴客户标签"),
    },
    "SR-BK-MN": {
        "specs": [
            ("Variety", "品种", "Munage"),
            ("Grade", "等级", "Large, 180–220 berries / 100 g"),
            ("Moisture", "水分", "≤ 16 %"),
            ("Packing", "包装", "10 kg cartons"),
        ],
        "order_multiple": 10,
        "oem": True,
    },
    "SR-RD-RS": {
        "specs": [
            ("Variety", "品种", "Rose-fragrance (Meiguixiang)"),
            ("Moisture", "水分", "≤ 15 %"),
            ("Packing", "包装", "10 kg cartons"),
        ],
        "order_multiple": 10,
        "oem": True,
    },
    "SR-GR-EXP10": {
        "specs": [
            ("Carton", "箱规", "10 kg net, inner PE bag"),
            ("Grade", "等级", "A, cleaned, destemmed"),
            ("Moisture", "水分", "≤ 15 %"),
            ("Pallet", "托盘", "80 cartons"),
            ("Certificates", "证书", "HACCP; phytosanitary certificate per shipment"),
        ],
        "oem": True,
    },
    # ------------------------------------------------------------- Aksu Tianshan Walnut & Jujube
    "TS-WN-185": {
        "specs": [
            ("Variety", "品种", "Wen 185 thin-shell"),
            ("Size", "规格", "32–34 mm"),
            ("Kernel rate", "出仁率", "≥ 60 %"),
            ("Moisture", "水分", "≤ 8 %"),
            ("Packing", "包装", "25 kg woven bags"),
        ],
        "variants": [{"size": "30–32 mm"}, {"size": "32–34 mm"}, {"size": "34 mm +"}],
        "order_multiple": 25,
        "site": "Hongqipo processing plant / 红旗坡加工厂",
    },
    "TS-WK-LH80": {
        "specs": [
            ("Grade", "等级", "Light halves 80 %, light quarters 20 %"),
            ("Colour", "颜色", "Extra light"),
            ("Moisture", "水分", "≤ 5 %"),
            ("Packing", "包装", "10 kg vacuum cartons"),
        ],
        "order_multiple": 10,
        "site": "Cold store / 冷库",
        "oem": True,
    },
    "TS-JJ-JUN1": {
        "specs": [
            ("Variety", "品种", "Jun jujube"),
            ("Grade", "等级", "1, 100–120 per kg"),
            ("Sugar", "含糖量", "≥ 65 %"),
            ("Packing", "包装", "5 kg cartons"),
        ],
        "variants": [{"size": "Grade 1 (100–120 / kg)"}, {"size": "Special (80–100 / kg)", "moq": 1000}],
        "moq_mode": "per_variant",
        "order_multiple": 5,
        "oem": True,
    },
    "TS-JJ-HUI": {
        "specs": [
            ("Variety", "品种", "Huizao (grey jujube)"),
            ("Origin", "产地", "Ruoqiang County"),
            ("Packing", "包装", "5 kg cartons"),
        ],
        "order_multiple": 5,
        "oem": True,
    },
    "TS-JW-SNK": {
        "specs": [
            ("Content", "配料", "Jun jujubes, walnut kernels"),
            ("Pack", "包装", "250 g stand-up pouch, 20 per carton"),
            ("Shelf life", "保质期", "12 months"),
        ],
        "order_multiple": 5,
        "oem": True,
        "odm": True,
        "customisation": ("Your brand and pouch design from 500 kg", "500公斤起可定制品牌和包装设计"),
    },
    # ------------------------------------------------------------- Urumqi Xiyu Trading (a trader)
    "XY-BD-PS": {
        "specs": [
            ("Variety", "品种", "Paper-shell badam"),
            ("Origin", "产地", "Shache (Yarkand)"),
            ("Packing", "包装", "10 kg cartons"),
        ],
        "order_multiple": 10,
    },
    "XY-AP-KC": {
        "specs": [
            ("Variety", "品种", "Kuqa small white apricot"),
            ("Moisture", "水分", "≤ 18 %"),
            ("Packing", "包装", "10 kg cartons"),
        ],
        "order_multiple": 10,
    },
    "XY-FG-ATS": {
        "specs": [
            ("Origin", "产地", "Atushi"),
            ("Packing", "包装", "5 kg cartons"),
        ],
        "order_multiple": 5,
    },
    "XY-GB-12": {
        "specs": [
            ("Assortment", "组合", "Raisins, apricots, jujubes, walnuts, almonds, figs"),
            ("Net weight", "净重", "1.2 kg"),
            ("Packing", "包装", "10 boxes per carton"),
        ],
        "order_multiple": 10,
        "oem": True,
        "customisation": ("Your logo sleeve from 300 boxes", "300盒起可定制logo外套"),
    },
    # ------------------------------------------------------------- Dingxi Longyuan Potato
    "LY-FP-LS7": {
        "specs": [
            ("Variety", "品种", "Longshu No. 7"),
            ("Tuber size", "薯块规格", "150–300 g"),
            ("Skin / flesh", "皮色 / 肉色", "Yellow / light yellow"),
            ("Dry matter", "干物质", "≥ 21 %"),
            ("Packing", "包装", "25 kg mesh bags"),
            ("Season", "供货季节", "September to May (from cold store)"),
        ],
        "site": "Tissue-culture lab and seed-potato farm / 组培中心与种薯基地",
    },
    "LY-ST-FG": {
        "specs": [
            ("Standard", "标准", "GB/T 8884, superior grade"),
            ("Whiteness", "白度", "≥ 93 %"),
            ("Moisture", "水分", "≤ 20 %"),
            ("Ash", "灰分", "≤ 0.3 %"),
            ("Packing", "包装", "25 kg kraft bags, 1 t jumbo bags"),
        ],
        "variants": [{"model": "25 kg bags / 25公斤袋"}, {"model": "1 t jumbo bags / 1吨吨袋"}],
        "oem": True,
        "site": "Starch and flake plant / 淀粉与全粉厂",
    },
    "LY-DF-01": {
        "specs": [
            ("Moisture", "水分", "≤ 8 %"),
            ("Bulk density", "堆积密度", "0.35–0.45 g/ml"),
            ("Packing", "包装", "20 kg bags"),
            ("Shelf life", "保质期", "12 months"),
        ],
        "order_multiple": 20,
        "oem": True,
        "site": "Starch and flake plant / 淀粉与全粉厂",
    },
    "LY-MT-G1": {
        "specs": [
            ("Generation", "代别", "G1 from tissue-culture plantlets"),
            ("Size", "规格", "5–15 g"),
            ("Virus test", "病毒检测", "ELISA, PVX / PVY / PLRV free"),
            ("Varieties", "品种", "Longshu No. 7, Qingshu No. 9, Favorita"),
            ("Packing", "包装", "Bags of 1,000 mini-tubers"),
        ],
        "variants": [
            {"model": "Longshu No. 7 / 陇薯7号"},
            {"model": "Qingshu No. 9 / 青薯9号"},
            {"model": "Favorita / 荷兰十五"},
        ],
        "moq_mode": "per_variant",
        "order_multiple": 1000,
        "site": "Tissue-culture lab and seed-potato farm / 组培中心与种薯基地",
    },
    # ------------------------------------------------------------- Tianshui Huaniu Apple
    "HN-AP-80": {
        "specs": [
            ("Variety", "品种", "Huaniu (Red Delicious)"),
            ("Size", "规格", "80 mm +"),
            ("Sugar", "糖度", "≥ 13 °Brix"),
            ("Carton", "箱规", "10 kg, 40–45 apples, trays"),
            ("Storage", "贮藏", "Controlled-atmosphere store, supply until June"),
        ],
        "variants": [{"size": "75–80 mm"}, {"size": "80–85 mm"}, {"size": "85 mm +"}],
        "oem": True,
        "customisation": ("Your carton print from 1,000 cartons", "1000箱起可印客户纸箱"),
    },
    "HN-FJ-8085": {
        "specs": [
            ("Variety", "品种", "Fuji"),
            ("Size", "规格", "80–85 mm"),
            ("Sugar", "糖度", "≥ 14 °Brix"),
            ("Packing", "包装", "10 kg cartons"),
        ],
        "order_multiple": 10,
    },
    "HN-AJC-70": {
        "specs": [
            ("Brix", "糖度", "70 ± 0.5 °Brix"),
            ("Acidity", "酸度", "1.5–3.0 % (as malic acid)"),
            ("Clarity", "透光率", "≥ 95 %"),
            ("Packing", "包装", "Aseptic bags in 275 kg steel drums"),
        ],
    },
    "HN-FD-CHIP": {
        "specs": [
            ("Ingredients", "配料", "Apples only"),
            ("Moisture", "水分", "≤ 5 %"),
            ("Packing", "包装", "5 kg cartons or 30 g retail bags"),
        ],
        "order_multiple": 5,
        "oem": True,
        "odm": True,
    },
    # ------------------------------------------------------------- Lanzhou Qilian Lily & Herb
    "QL-LB-FR": {
        "specs": [
            ("Variety", "品种", "Lanzhou sweet lily"),
            ("Bulb weight", "单头重", "≥ 150 g"),
            ("Packing", "包装", "5 kg boxes, cold chain"),
        ],
        "order_multiple": 5,
    },
    "QL-LB-DR": {
        "specs": [
            ("Form", "形态", "Dried scales"),
            ("Moisture", "水分", "≤ 12 %"),
            ("Sulphur", "二氧化硫", "Not sulphured"),
        ],
    },
    "QL-AG-MX": {
        "specs": [
            ("Origin", "产地", "Min County"),
            ("Grade", "等级", "Whole root, 30 heads / kg"),
            ("Packing", "包装", "25 kg sacks"),
        ],
        "order_multiple": 25,
    },
    "QL-CD-LX": {
        "specs": [
            ("Origin", "产地", "Longxi"),
            ("Form", "形态", "Slices 2–3 mm"),
        ],
    },
    # ------------------------------------------------------------- Zhongning Qiyuan Goji
    "QY-DG-280": {
        "specs": [
            ("Grade", "等级", "280 berries / 50 g"),
            ("Moisture", "水分", "≤ 13 %"),
            ("Origin", "产地", "Zhongning County, Ningxia"),
            ("Drying", "干制", "Hot-air dried, no sulphur"),
            ("Packing", "包装", "5 kg cartons"),
            ("Shelf life", "保质期", "24 months"),
        ],
        "order_multiple": 5,
        "oem": True,
        "customisation": ("Retail pouches from 100 g with your label", "可做100克起零售袋，贴客户标签"),
        "sample_fee_credited": True,
    },
    "QY-DG-220": {
        "specs": [
            ("Grade", "等级", "220 berries / 50 g"),
            ("Moisture", "水分", "≤ 13 %"),
            ("Packing", "包装", "5 kg cartons"),
        ],
        "order_multiple": 5,
        "oem": True,
    },
    "QY-DG-ORG380": {
        "specs": [
            ("Grade", "等级", "380 berries / 50 g"),
            ("Certificates", "证书", "EU organic, China organic (GB/T 19630)"),
            ("Pesticide residue", "农残", "Tested per lot, EU limits"),
            ("Packing", "包装", "10 kg cartons"),
        ],
        "order_multiple": 10,
        "oem": True,
    },
    "QY-BG-WLD": {
        "specs": [
            ("Species", "品种", "Lycium ruthenicum"),
            ("Anthocyanins", "花青素", "≥ 3 %"),
            ("Packing", "包装", "1 kg bags"),
        ],
    },
    "QY-DG-500B": {
        "specs": [
            ("Grade", "等级", "500 berries / 50 g"),
            ("Use", "用途", "Extraction, juicing"),
            ("Packing", "包装", "20 kg cartons"),
        ],
    },
    # ------------------------------------------------------------- Ningxia Hongqi Biotech
    "HQ-NFC-30x10": {
        "specs": [
            ("Content", "配料", "100 % goji juice, not from concentrate"),
            ("Pack", "包装", "10 × 30 ml sachets per box, 20 boxes per carton"),
            ("Process", "工艺", "Cold-pressed, HPP"),
            ("Shelf life", "保质期", "18 months"),
        ],
        "order_multiple": 20,
        "oem": True,
        "odm": True,
        "customisation": ("Your box design and sachet size (15–50 ml)", "可定制盒子设计和袋装规格（15–50毫升）"),
    },
    "HQ-FDP": {
        "specs": [
            ("Content", "配料", "100 % goji fruit"),
            ("Mesh", "目数", "80 mesh"),
            ("Moisture", "水分", "≤ 5 %"),
            ("Packing", "包装", "25 kg fibre drums"),
        ],
        "order_multiple": 25,
        "oem": True,
    },
    "HQ-LBP-40": {
        "specs": [
            ("Polysaccharides", "多糖含量", "40 % (UV)"),
            ("Appearance", "外观", "Brown-yellow powder"),
            ("Packing", "包装", "1 kg foil bags"),
        ],
        "oem": True,
    },
    "HQ-SO-CP": {
        "specs": [
            ("Process", "工艺", "Cold-pressed, filtered"),
            ("Linoleic acid", "亚油酸", "≥ 65 %"),
            ("Packing", "包装", "1 kg or 5 kg aluminium bottles"),
        ],
        "oem": True,
    },
    # ------------------------------------------------------------- Ningxia Shahu Farm Produce
    "SH-WM-SE": {
        "specs": [
            ("Variety", "品种", "Selenium-sand watermelon"),
            ("Fruit weight", "单果重", "5–8 kg"),
            ("Sugar", "糖度", "≥ 11 °Brix"),
            ("Season", "供货季节", "July to September"),
        ],
    },
    "SH-RC-JP": {
        "specs": [
            ("Variety", "品种", "Japonica, Ningjing 43"),
            ("Grade", "等级", "GB/T 1354 grade 1"),
            ("Packing", "包装", "25 kg bags"),
        ],
        "order_multiple": 25,
        "oem": True,
    },
    "SH-ML-YL": {
        "specs": [
            ("Grade", "等级", "GB/T 11766 grade 1"),
            ("Packing", "包装", "25 kg bags"),
        ],
        "order_multiple": 25,
    },
}


# --- trade in flight: what the demo buyer and the demo supplier find on their dashboards ----------
# All with the first supplier (whose member is supplier@demo.test) so that each state can be
# reached through its own services; the third purchase also orders from a Shishi textile maker,
# which shows one purchase becoming one order per supplier.
SHIPPING = {
    "shipping_address": "Rotterdam Industrial Supply B.V.\nWaalhaven Oostzijde 51\n3087 BM Rotterdam",
    "ship_to_country": "NL",
}
TRADE_ORDERS = [
    {
        "key": "demo-purchase-1",
        "lines": [("GG-HW1500", 5)],
        "incoterm": "FOB",
        "incoterm_place": "Wuhan",
        "note": "Plugs for EU sockets, please.",
        "stage": "completed",
        "rating": (5, "Welders arrived as described; the 3-in-1 head welds 2 mm stainless cleanly."),
    },
    {
        "key": "demo-purchase-2",
        "lines": [("GG-LC200P", 2)],
        "incoterm": "CIF",
        "incoterm_place": "Rotterdam",
        "note": "",
        "stage": "shipped",
        "shipping": ("COSCO Shipping Lines", "COSU6283719450"),
    },
    {
        "key": "demo-purchase-3",
        "lines": [("GG-FC3015-3K", 1), ("shishi-textiles", None)],  # a belt: its first orderable listing
        "incoterm": "FOB",
        "incoterm_place": "Wuhan / Xiamen",
        "note": "Please confirm the lead time before we pay.",
        "stage": "placed",
    },
]
TRADE_INQUIRIES = [
    {
        "sku": "GG-FC3015-3K",
        "subject": "CIF Rotterdam price for two 3015 cutters",
        "body": "Could you quote two FC3015 3 kW cutters CIF Rotterdam, with the Raycus source and a "
        "spare nozzle kit? We would need them in March.",
        "reply": "Thank you for your inquiry. Two units CIF Rotterdam: CNY 93,000 each plus CNY 9,800 "
        "freight and insurance; 25 days to ship. Nozzle kit included.",
    },
    {
        "sku": "GG-TC6020-3K",
        "subject": "Tube cutter: 8 m loading option?",
        "body": "Is an 8 m automatic loading table available for the TC6020, and what does it add to the lead time?",
        "reply": "",
    },
]

# An open request for quotation of the demo buyer, sent to the Wuhan laser makers, with two quotes
# to compare: the demo supplier's (supplier@demo.test) and one from a second maker's sales desk (a
# member who never signs in: `sales_email`).
TRADE_RFQ = {
    "title": "Handheld fibre laser welder, 1.5 kW, for a stainless-steel workshop",
    "details": "Three units for welding 1–3 mm stainless and carbon steel; 3-in-1 head (weld, cut, "
    "clean) preferred; CE marking; 230 V single phase or 400 V three phase; English manual.",
    "category": "laser-equipment",
    "belt": "wuhan-laser",
    "quantity": 3,
    "unit": "set",
    "target_price": "3300.00",
    "currency": "USD",
    "incoterm": "CIF",
    "incoterm_place": "Rotterdam",
    "required_level": "verified",
    "deadline_days": 14,
    "quotes": [
        {
            "supplier": "wuhan-guanggu-photonics",
            "unit_price": "3250.00", "moq": 1, "quantity": 3, "lead_time_days": 20, "incoterm": "FOB",
            "incoterm_place": "Wuhan", "freight_total": "520.00", "valid_days": 30,
            "note": "HW1500 with the 3-in-1 head and wire feeder; CE; 400 V three phase.",
        },
        {
            "supplier": "wuhan-ruiguang-laser",
            "sales_email": "sales@ruiguang-laser.demo.test",
            "sales_name": "Chen Jie",
            "unit_price": "3480.00", "moq": 1, "quantity": 3, "lead_time_days": 15, "incoterm": "CIF",
            "incoterm_place": "Rotterdam", "freight_total": None, "valid_days": 21,
            "note": "Built on our own 1.5 kW CW source; 230 V single phase; two spare nozzle kits.",
        },
    ],
}  # fmt: skip
